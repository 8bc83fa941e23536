// What WeChat sends back after a tap on <button open-type=...>. The app only learns the outcome
// through this event, so tests of phone, avatar and privacy flows depend on it.

/**
 * Resolves to { type, detail } (or null when WeChat sends nothing back, e.g. share).
 * app.options.openTypes[openType]() overrides the detail of a successful answer.
 */
export async function openTypeEvent(openType, app) {
  const custom = app.options.openTypes?.[openType]
  const privacy = app.wx.__privacy
  // These buttons need the user's privacy consent first; a refusal comes back as the event's failure.
  const privacyGated = async (type, name, okDetail) => {
    try {
      await privacy.authorize(name)
    } catch {
      return { type, detail: { errMsg: `${name}:fail privacy permission is not authorized`, errno: 104 } }
    }
    return { type, detail: custom ? await custom() : okDetail }
  }
  switch (openType) {
    case 'agreePrivacyAuthorization':
      privacy.settings.needAuthorization = false
      return { type: 'agreeprivacyauthorization', detail: custom ? await custom() : {} }
    case 'getPhoneNumber':
      return privacyGated('getphonenumber', 'getPhoneNumber', { errMsg: 'getPhoneNumber:ok', code: 'sim-phone-code' })
    case 'getRealtimePhoneNumber':
      return privacyGated('getrealtimephonenumber', 'getRealtimePhoneNumber', { errMsg: 'getRealtimePhoneNumber:ok', code: 'sim-phone-code' })
    case 'chooseAvatar':
      return privacyGated('chooseavatar', 'chooseAvatar', { avatarUrl: 'http://tmp/sim-avatar.png' })
    case 'getUserInfo':
      return { type: 'getuserinfo', detail: custom ? await custom() : { errMsg: 'getUserInfo:ok', userInfo: { nickName: '微信用户', avatarUrl: '' } } }
    case 'openSetting':
      return { type: 'opensetting', detail: custom ? await custom() : { authSetting: {} } }
    case 'contact':
      return { type: 'contact', detail: custom ? await custom() : {} }
    default:
      return custom ? { type: openType.toLowerCase(), detail: await custom() } : null // share, feedback, ...: nothing comes back
  }
}
