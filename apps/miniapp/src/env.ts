/**
 * Base URL of the API, from TARO_APP_API_BASE at build time (public: it ends up in the bundle).
 * '' means same origin, which suits the H5 build served by the API; a weapp build needs
 * an absolute https URL on the mini-program's request domain list.
 */
export const API_BASE: string = process.env.TARO_APP_API_BASE ?? ''

/** WeChat signs people in silently with wx.login; the web build has no such identity. */
export const IN_WECHAT: boolean = process.env.TARO_ENV === 'weapp'
