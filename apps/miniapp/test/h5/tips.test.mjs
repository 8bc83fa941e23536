// The H5 build in a real browser against the real API: a reward-eligible tip (有奖举报) from the form to the tally.
// A resident reports anonymously with an image and follows the tip up by its receipt code alone; an officer of the
// township's police station triages it (sees the image through its signed link), replies and decides a reward; the
// resident claims it; the officer, though also made a township admin, cannot approve what they decided; another
// township admin approves, reveals the claimant to pay and records the payout; the tallies count it.
// The flows run in order and hand on what they made (`tip`); each fails, naming the flow before it, when that is missing.
// Run: cd apps/miniapp && node --test --test-concurrency=1 --test-reporter=spec test/h5/tips.test.mjs   (npm test
//      runs it in the tier "h5 in Chromium", after the build tier has made dist/h5-demo)
// Inputs, environment and artifacts: see app-helpers.mjs.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe } from 'node:test'
import { crc32, deflateSync } from 'node:zlib'

import { demoSignIn, flowTest, LABELS, ROUTES, SEED, startApp, SUITE_TIMEOUT } from './app-helpers.mjs'
import { button, choosePickerOption, inputIn, openRoute, visiblePage } from './harness.mjs'

const TIP_ROUTES = {
  report: 'pages/report/index',
  followUp: 'packages/tips/pages/follow-up/index',
  triageList: 'packages/admin/pages/tips/index',
  triagePage: 'packages/admin/pages/tip/index',
  triage: (tipId) => `packages/admin/pages/tip/index?tipId=${encodeURIComponent(tipId)}`,
  rewards: 'packages/admin/pages/rewards/index',
  tallies: 'packages/admin/pages/tallies/index',
}

/** Seeded by apps/api/src/seed/demo-data.ts: the township's one police station. */
const POLICE_STATION = '白土派出所'

const TIP_LABELS = {
  police: '民警', // contracts ROLE_LABELS.police
  // contracts FRAUD_TYPE_LABELS, IDENTIFIER_KIND_LABELS, TIP_STATUS_LABELS, REWARD_TIER_LABELS, REWARD_STATUS_LABELS
  fraudType: '冒充客服',
  bankCard: '银行卡号',
  received: '已受理',
  verifying: '核查中',
  valid: '举报属实',
  tier: '二等奖励',
  rewardPending: '待审批',
  rewardPaid: '已发放',
  // contracts ERROR_MESSAGES.TIP_LOCKED_BY_REWARD is shown in place of the status buttons once a reward is decided
  // 我的 → 有奖举报 entries (pages/mine/tips-entries.tsx)
  triageEntry: '举报研判',
  rewardsEntry: '奖励审批',
  talliesEntry: '奖励统计',
  // the report page and the receipt panel
  addIdentifier: '再添加一个号码或账号',
  addImage: /^\s*添加图片（\d\/6）\s*$/,
  uploaded: '已上传',
  submitTip: '提交举报',
  receiptDone: '我已保存，继续举报',
  toFollowUp: '凭回执码查看举报进度',
  // the follow-up page
  openFollowUp: '查询进度',
  claim: '提交申领',
  claimed: '您已申领，审批通过后发放。',
  // the police tip page
  openTip: '查看详情',
  toVerifying: '标记为核查中',
  toValid: '标记为举报属实',
  sendReply: '发送回复',
  decideReward: '提交奖励决定',
  // the rewards page (tabs, actions, the identity dialog) and the tallies page
  tabApproved: '待发放',
  tabPaid: '已发放',
  approve: '批准',
  reveal: '查看举报人身份',
  identityTitle: '举报人身份',
  close: '关闭',
  markPaid: '标记已发放',
  ownDecision: '这笔奖励由您决定，须由另一位乡镇管理员审批。',
  byWeek: '按周',
  byMonth: '按月',
  exportXlsx: '导出 Excel',
}

/** Confirm labels of the Taro H5 modals each step opens (the page's showModal confirmText). */
const CONFIRM = {
  receiptSaved: '已保存',
  decide: '确认提交',
  approve: '确认批准',
  reveal: '确认查看',
  paid: '确认发放',
}

const TIP_SEL = {
  fraudType: '.tip-form__fraud-type',
  identifierKind: '.tip-identifier__kind',
  identifierValue: '.tip-identifier__value',
  description: '.tip-form__description textarea',
  loss: '.tip-form__loss',
  image: '.tip-image',
  imageStatus: '.tip-image__status',
  consent: '.tip-consent__accept',
  receiptCode: '.tip-receipt__code',
  followUpCode: '.follow-up__code',
  followUpStatus: '.follow-up__status',
  followUpTip: '.follow-up__tip',
  followUpEvent: '.follow-up__event',
  followUpReward: '.follow-up__reward',
  claimName: '.follow-up__claim-name',
  claimPhone: '.follow-up__claim-phone',
  tipRow: '.tip-row',
  identifierFull: '.tip-identifiers .tip-identifier__value',
  attachmentImage: '.tip-attachments taro-image-core img',
  assignPicker: '.tip-assign__picker',
  assignCurrent: '.tip-assign__current',
  status: '.tip-status',
  replyBody: '.tip-reply__body textarea',
  timelineBody: '.tip-timeline .tip-event__body',
  rewardTier: '.tip-reward-form__tier',
  rewardReason: '.tip-reward-form__reason textarea',
  rewardSummary: '.tip-reward',
  rewardCard: '.reward-card',
  tab: '.segmented__item',
  identityDialog: '.identity-dialog',
  talliesTotal: '.tallies__total',
  talliesPeriods: '.tallies__periods .tally__row',
  talliesReporters: '.tallies__reporters .tally__row',
  modal: '.taro__modal',
}

/** What the resident types. The card number passes the Luhn check (contracts normalizeIdentifier). */
const REPORT = {
  phoneTyped: '138-1234-5678',
  phone: '13812345678',
  cardTyped: '6222 0212 3456 7894',
  card: '6222021234567894',
  description: '对方自称快递客服，说包裹丢失要理赔，让我下载会议软件共享屏幕，又让我把钱转到银行卡验证流水。',
  loss: '3000',
}
const CLAIMANT = { name: '举报领奖人', phone: '13912345678', masked: '139****5678' }
const OFFICER = '研判测试民警'
const GRANTING_ADMIN = '授权测试管理员'
const APPROVER = '审批测试管理员'
const REPLY = '您举报的银行卡已报送冻结，电话号码已报送封停，感谢您的支持。'
const REWARD_YUAN = 1000 // contracts REWARD_TIER_AMOUNTS.second
const REWARD_REASON = '提供的银行卡号协助冻结涉诈资金'

/** Written into the fixture's EXIF and text chunks: the server must strip both before police see the image. */
const METADATA_MARKER = 'QMFZ-H5-EXIF-MARKER'
const IMAGE = { name: 'chat-screenshot.png', width: 48, height: 32 }

/** Handed from flow to flow: the receipt code and the tip's id once the earlier flows made them. */
const tip = { receiptCode: null, tipId: null, rewardDecidedAt: null, paid: false }

startApp('tips')

describe('H5 app in Chromium against the real API: reward-eligible tips', { timeout: SUITE_TIMEOUT }, () => {
  flowTest(
    '12. a resident reports anonymously with an image; the receipt code alone opens the tip, 已受理',
    [ROUTES.demoLogin, TIP_ROUTES.report, TIP_ROUTES.followUp],
    'tip-report',
    async (flow) => {
      const resident = await flow.newPage('resident')
      await demoSignIn(flow, resident, { name: '举报测试居民' })
      tip.receiptCode = await submitTip(flow, resident)

      // Leaving the receipt asks first; then the form is back, and the code is needed to follow the tip up.
      const view = visiblePage(resident)
      await button(view, TIP_LABELS.receiptDone).tap()
      await confirmModal(resident, CONFIRM.receiptSaved)
      await button(visiblePage(resident), TIP_LABELS.submitTip).waitFor()
      assert.equal(await visiblePage(resident).getByText(tip.receiptCode).count(), 0, 'the receipt code is still on the page after it was closed')
      await button(visiblePage(resident), TIP_LABELS.toFollowUp).tap()
      await resident.waitForURL(new RegExp(TIP_ROUTES.followUp))
      const followUp = await openFollowUp(flow, resident, tip.receiptCode)
      await followUp.locator(TIP_SEL.followUpStatus).getByText(TIP_LABELS.received, { exact: true }).waitFor()
      await followUp.getByText('附图片 1 张', { exact: true }).waitFor()
      await followUp.getByText(`${TIP_LABELS.bankCard}：`, { exact: false }).first().waitFor()
      await assertNotInPage(resident, [REPORT.card, REPORT.phone, REPORT.cardTyped, REPORT.phoneTyped], 'the follow-up page shows identifiers masked')
      await flow.shot(resident, 'follow-up-received')
    },
  )

  flowTest(
    '13. police triage: the tip in the list, full identifiers and the image on its page, 核查中 then 举报属实, a reply the reporter reads',
    [ROUTES.demoLogin, ROUTES.mine, TIP_ROUTES.triageList, TIP_ROUTES.triagePage, TIP_ROUTES.followUp],
    'tip-triage',
    async (flow) => {
      needs('receiptCode', 12)
      const police = await flow.newPage('police')
      await signInOfficer(flow, police)
      await button(visiblePage(police), TIP_LABELS.triageEntry).tap()
      await police.waitForURL(new RegExp(TIP_ROUTES.triageList))
      const row = visiblePage(police).locator(TIP_SEL.tipRow).filter({ hasText: TIP_LABELS.fraudType })
      await row.getByText(TIP_LABELS.received, { exact: true }).waitFor()
      await row.getByText(/匿名，图片 1 张/).waitFor()
      assert.equal(await row.count(), 1, 'one tip in the list')
      await assertNotInPage(police, [REPORT.card, REPORT.phone, REPORT.cardTyped, REPORT.phoneTyped], 'the triage list shows identifiers masked')
      await flow.shot(police, 'list')

      await button(row, TIP_LABELS.openTip).tap()
      await police.waitForURL(new RegExp(`${TIP_ROUTES.triagePage}\\?tipId=`))
      tip.tipId = new URLSearchParams(police.url().split('?')[1]).get('tipId')
      assert.ok(tip.tipId, `no tipId in ${police.url()}`)
      const view = visiblePage(police)
      await view.getByText(REPORT.description).waitFor()
      const identifiers = (await view.locator(TIP_SEL.identifierFull).allTextContents()).map((text) => text.trim())
      // Stored as typed (the blind index uses the normalised form): police see the full values, spaced as given.
      assert.deepEqual(identifiers.sort(), [REPORT.cardTyped, REPORT.phoneTyped].sort(), 'police see the suspects’ full identifiers')
      await expectImageShownAndStripped(flow, police)
      await flow.shot(police, 'tip-page')

      // Assigned to the officer; then 核查中, then 举报属实: each shown as the current status.
      await choosePickerOption(police, view.locator(TIP_SEL.assignPicker), OFFICER)
      await view.locator(TIP_SEL.assignCurrent).getByText(`${OFFICER} ›`, { exact: true }).waitFor()
      await changeStatus(police, TIP_LABELS.toVerifying, TIP_LABELS.verifying)
      await changeStatus(police, TIP_LABELS.toValid, TIP_LABELS.valid)
      await view.locator(TIP_SEL.replyBody).fill(REPLY)
      await button(view, TIP_LABELS.sendReply).tap()
      await view.locator(TIP_SEL.timelineBody).filter({ hasText: REPLY }).waitFor()
      assert.equal(await view.locator(TIP_SEL.replyBody).inputValue(), '', 'the reply field empties once sent')
      await flow.shot(police, 'replied')

      // The reporter, on another device with the code alone: the status and the reply, not who handles it.
      const reporter = await flow.newPage('reporter')
      await openRoute(reporter, TIP_ROUTES.followUp)
      const followUp = await openFollowUp(flow, reporter, tip.receiptCode)
      await followUp.locator(TIP_SEL.followUpStatus).getByText(TIP_LABELS.valid, { exact: true }).waitFor()
      await followUp.locator(TIP_SEL.followUpEvent).getByText(`民警回复：${REPLY}`, { exact: true }).waitFor()
      for (const status of [TIP_LABELS.verifying, TIP_LABELS.valid]) {
        await followUp.locator(TIP_SEL.followUpEvent).getByText(`处理状态：${status}`, { exact: true }).waitFor()
      }
      await assertNotInPage(reporter, [OFFICER], 'the reporter does not see which officer handles the tip')
      await flow.shot(reporter, 'follow-up-replied')
    },
  )

  flowTest(
    '14. police decide a reward; the anonymous reporter claims it with a name and phone on the follow-up page',
    [ROUTES.demoLogin, TIP_ROUTES.triagePage, TIP_ROUTES.followUp],
    'tip-reward-claim',
    async (flow) => {
      needs('tipId', 13)
      const police = await flow.newPage('police')
      await signInOfficer(flow, police)
      await openRoute(police, TIP_ROUTES.triage(tip.tipId))
      const view = visiblePage(police)
      await view.locator(TIP_SEL.rewardTier).filter({ hasText: TIP_LABELS.tier }).tap()
      assert.match(await view.locator(TIP_SEL.rewardTier).filter({ hasText: TIP_LABELS.tier }).getAttribute('class'), /choice--on/)
      await view.locator(TIP_SEL.rewardReason).fill(REWARD_REASON)
      await flow.shot(police, 'reward-form')
      const decided = police.waitForResponse((response) => response.request().method() === 'PUT' && response.url().endsWith(`/api/tips/${tip.tipId}/reward`))
      await button(view, TIP_LABELS.decideReward).tap()
      await confirmModal(police, CONFIRM.decide)
      const response = await decided
      assert.equal(response.status(), 201, `deciding answered ${response.status()}: ${await response.text()}`)
      tip.rewardDecidedAt = (await response.json()).decidedAt
      const summary = view.locator(TIP_SEL.rewardSummary)
      await summary.getByText(`${TIP_LABELS.tier}，${REWARD_YUAN} 元`, { exact: true }).waitFor()
      await summary.getByText(TIP_LABELS.rewardPending, { exact: true }).waitFor()
      // A tip with a reward keeps its status: no status buttons any more.
      assert.equal(await button(view.locator(TIP_SEL.status), /^\s*标记为/).count(), 0, 'status buttons remain after the reward was decided')
      await flow.shot(police, 'reward-decided')

      const reporter = await flow.newPage('reporter')
      await openRoute(reporter, TIP_ROUTES.followUp)
      const followUp = await openFollowUp(flow, reporter, tip.receiptCode)
      const card = followUp.locator(TIP_SEL.followUpReward)
      await card.getByText(`${TIP_LABELS.tier}：${REWARD_YUAN} 元`, { exact: true }).waitFor()
      await card.getByText(TIP_LABELS.rewardPending, { exact: true }).waitFor()
      await inputIn(card, TIP_SEL.claimName).fill(CLAIMANT.name)
      await inputIn(card, TIP_SEL.claimPhone).fill(CLAIMANT.phone)
      await flow.shot(reporter, 'claim-filled')
      await button(card, TIP_LABELS.claim).tap()
      await card.getByText(TIP_LABELS.claimed, { exact: true }).waitFor()
      assert.equal(await button(card, TIP_LABELS.claim).count(), 0, 'the claim form stays after the claim')
      await flow.shot(reporter, 'claimed')
    },
  )

  flowTest(
    '15. two people: the deciding officer, though a township admin too, cannot approve; another township admin approves, reveals the claimant and records the payout',
    [ROUTES.demoLogin, ROUTES.mine, TIP_ROUTES.rewards],
    'tip-reward-approval',
    async (flow) => {
      needs('rewardDecidedAt', 14)
      // The officer joins the township office as 乡镇管理员: an invite from one township admin, approved by them.
      const granting = await devLogin(flow.baseUrl, { name: GRANTING_ADMIN, role: 'township_admin' })
      const officer = await devLogin(flow.baseUrl, { name: OFFICER, role: 'police' })
      await grantTownshipAdmin(flow.baseUrl, granting, officer)

      const police = await flow.newPage('police-and-township-admin')
      await signInOfficer(flow, police)
      await button(visiblePage(police), TIP_LABELS.rewardsEntry).tap()
      await police.waitForURL(new RegExp(TIP_ROUTES.rewards))
      const ownCard = rewardCard(police)
      await ownCard.getByText(TIP_LABELS.ownDecision, { exact: true }).waitFor()
      assert.equal(await button(ownCard, TIP_LABELS.approve).count(), 0, 'the decider is offered 批准')
      await flow.shot(police, 'own-decision')
      // Nor does the server let the decider approve, whatever the page offers.
      const refused = await apiCall(flow.baseUrl, 'POST', `/api/rewards/${tip.tipId}/approve`, officer, {})
      assert.equal(refused.status, 403, `the decider's approval answered ${refused.status}: ${JSON.stringify(refused.body)}`)
      assert.equal(refused.body.code, 'REWARD_SAME_PERSON')
      assert.equal(refused.body.message, '决定奖励的人不能审批同一笔奖励') // contracts ERROR_MESSAGES.REWARD_SAME_PERSON

      const approver = await flow.newPage('approver')
      await demoSignIn(flow, approver, { name: APPROVER, role: LABELS.townshipAdmin, unit: SEED.townshipOffice })
      await button(visiblePage(approver), TIP_LABELS.rewardsEntry).tap()
      await approver.waitForURL(new RegExp(TIP_ROUTES.rewards))
      const pending = rewardCard(approver)
      await pending.getByText(TIP_LABELS.rewardPending, { exact: true }).waitFor()
      await pending.getByText(`决定：${OFFICER}`, { exact: false }).waitFor()
      await pending.getByText('举报人：匿名举报', { exact: true }).waitFor()
      await flow.shot(approver, 'pending')
      await button(pending, TIP_LABELS.approve).tap()
      await confirmModal(approver, CONFIRM.approve)
      await visiblePage(approver).getByText('没有待审批的奖励。', { exact: true }).waitFor()

      await openTab(approver, TIP_LABELS.tabApproved)
      const approved = rewardCard(approver)
      await approved.getByText(`审批：${APPROVER}`, { exact: false }).waitFor()
      await button(approved, TIP_LABELS.reveal).tap()
      await confirmModal(approver, CONFIRM.reveal)
      const dialog = visiblePage(approver).locator(TIP_SEL.identityDialog)
      await dialog.getByText(TIP_LABELS.identityTitle, { exact: true }).waitFor()
      await dialog.getByText(`姓名：${CLAIMANT.name}`, { exact: true }).waitFor()
      await dialog.getByText(`手机号码：${CLAIMANT.phone}`, { exact: true }).waitFor()
      await dialog.getByText('来源：申领奖励时提供', { exact: true }).waitFor()
      await flow.shot(approver, 'identity')
      await button(dialog, TIP_LABELS.close).tap()
      await dialog.waitFor({ state: 'detached' })
      await assertNotInPage(approver, [CLAIMANT.phone], 'the claimant’s phone stays on the page after the dialog closed')

      await button(approved, TIP_LABELS.markPaid).tap()
      await confirmModal(approver, CONFIRM.paid)
      await visiblePage(approver).getByText('没有待发放的奖励。', { exact: true }).waitFor()
      await openTab(approver, TIP_LABELS.tabPaid)
      const paid = rewardCard(approver)
      await paid.getByText(TIP_LABELS.rewardPaid, { exact: true }).waitFor()
      await paid.getByText(/^发放：/).waitFor()
      await flow.shot(approver, 'paid')

      // The audit trail, in order: who decided, approved, looked and paid.
      const approverToken = await devLogin(flow.baseUrl, { name: APPROVER, role: 'township_admin' })
      const audit = await apiCall(flow.baseUrl, 'GET', `/api/rewards/${tip.tipId}/audit`, approverToken)
      assert.equal(audit.status, 200)
      assert.deepEqual(
        audit.body.map((entry) => `${entry.actorName} ${entry.action}`),
        [`${OFFICER} reward.decided`, `${APPROVER} reward.approved`, `${APPROVER} identity.revealed`, `${APPROVER} reward.paid`],
      )
      tip.paid = true
    },
  )

  flowTest(
    '16. the tallies count the paid reward: 1 tip and its amount in the current month, by week too, and export to Excel',
    [ROUTES.demoLogin, ROUTES.mine, TIP_ROUTES.tallies],
    'tip-tallies',
    async (flow) => {
      needs('paid', 15)
      const admin = await flow.newPage('township-admin')
      await demoSignIn(flow, admin, { name: GRANTING_ADMIN, role: LABELS.townshipAdmin, unit: SEED.townshipOffice })
      await button(visiblePage(admin), TIP_LABELS.talliesEntry).tap()
      await admin.waitForURL(new RegExp(TIP_ROUTES.tallies))
      const view = visiblePage(admin)
      const totals = `获奖励举报 1 件，奖励 ${REWARD_YUAN} 元，已发放 ${REWARD_YUAN} 元`
      await view.locator(TIP_SEL.talliesTotal).getByText(totals, { exact: true }).waitFor()
      const month = monthLabel(tip.rewardDecidedAt)
      await periodRow(view, month).waitFor()
      // The anonymous tip's reporter is the claimant, by masked phone only.
      await view.locator(`${TIP_SEL.talliesReporters}[aria-label="${CLAIMANT.masked}：1 件，奖励 ${REWARD_YUAN} 元，已发放 ${REWARD_YUAN} 元"]`).waitFor()
      await assertNotInPage(admin, [CLAIMANT.phone], 'the tallies name reporters by masked phone')
      await flow.shot(admin, 'by-month')

      await view.locator(TIP_SEL.tab).filter({ hasText: TIP_LABELS.byWeek }).tap()
      await view.locator(TIP_SEL.talliesPeriods).filter({ hasText: /周/ }).first().waitFor()
      await view.locator(TIP_SEL.talliesTotal).getByText(totals, { exact: true }).waitFor()
      const weeks = await view.locator(TIP_SEL.talliesPeriods).evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label')).filter(Boolean))
      const counted = weeks.filter((label) => label.includes(`：1 件，奖励 ${REWARD_YUAN} 元，已发放 ${REWARD_YUAN} 元`))
      assert.equal(counted.length, 1, `one week should hold the reward; the weeks: ${weeks.join(' | ')}`)
      await flow.shot(admin, 'by-week')

      await view.locator(TIP_SEL.tab).filter({ hasText: TIP_LABELS.byMonth }).tap()
      await periodRow(view, month).waitFor()
      const download = admin.waitForEvent('download')
      await button(view, TIP_LABELS.exportXlsx).tap()
      const file = await download
      assert.match(file.suggestedFilename(), /^奖励统计-\d{4}-\d{2}-\d{2}至\d{4}-\d{2}-\d{2}\.xlsx$/)
      const bytes = readFileSync(await file.path())
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'the export should be an XLSX (zip) file')
    },
  )
})

// ---- Steps ---------------------------------------------------------------------------------------------------------

/** Fails a flow whose input an earlier flow should have made. */
function needs(key, flowNumber) {
  assert.ok(tip[key], `flow ${flowNumber} did not finish, so this flow has no ${key} to work with`)
}

async function signInOfficer(flow, page) {
  await demoSignIn(flow, page, { name: OFFICER, role: TIP_LABELS.police, unit: POLICE_STATION })
}

/**
 * 举报 tab: fraud type, a phone and a bank card, what happened, the loss, an image through the page's file dialog,
 * anonymous (the default), the notice accepted; 提交举报. Returns the receipt code the panel shows (as shown, grouped).
 */
async function submitTip(flow, page) {
  await openRoute(page, TIP_ROUTES.report)
  const view = visiblePage(page)
  await choosePickerOption(page, view.locator(TIP_SEL.fraudType), TIP_LABELS.fraudType)
  await inputIn(view, TIP_SEL.identifierValue).first().fill(REPORT.phoneTyped)
  await button(view, TIP_LABELS.addIdentifier).tap()
  await choosePickerOption(page, view.locator(TIP_SEL.identifierKind).nth(1), TIP_LABELS.bankCard)
  await inputIn(view, TIP_SEL.identifierValue).nth(1).fill(REPORT.cardTyped)
  await view.locator(TIP_SEL.description).fill(REPORT.description)
  await inputIn(view, TIP_SEL.loss).fill(REPORT.loss)

  const chooser = page.waitForEvent('filechooser')
  await button(view, TIP_LABELS.addImage).tap()
  await (await chooser).setFiles({ name: IMAGE.name, mimeType: 'image/png', buffer: pngWithMetadata(IMAGE.width, IMAGE.height) })
  await view.locator(TIP_SEL.image).locator(TIP_SEL.imageStatus).getByText(TIP_LABELS.uploaded, { exact: true }).waitFor()
  await view.locator(TIP_SEL.consent).tap()
  await view.locator(TIP_SEL.consent).scrollIntoViewIfNeeded()
  await flow.shot(page, 'form-filled')

  const created = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/tips')
  await button(view, TIP_LABELS.submitTip).tap()
  const response = await created
  assert.equal(response.status(), 201, `submitting answered ${response.status()}: ${await response.text()}`)
  const sent = response.request().postDataJSON()
  assert.equal(sent.attachmentIds.length, 1, 'the tip should carry the uploaded image')
  assert.deepEqual(sent.reporter, { mode: 'anonymous' })
  const code = (await view.locator(TIP_SEL.receiptCode).textContent()).trim()
  assert.match(code, /^[2-9A-HJKMNP-Z]{5}(-[2-9A-HJKMNP-Z]{5}){3}$/, `receipt code on the panel: "${code}"`)
  assert.equal(code.replace(/-/g, ''), (await response.json()).receiptCode.replace(/-/g, ''), 'the panel shows the code the server issued')
  await flow.shot(page, 'receipt')
  return code
}

/** On the follow-up page: types the code (lower case, as people do), 查询进度; returns the page once the tip shows. */
async function openFollowUp(flow, page, code) {
  const view = visiblePage(page)
  await inputIn(view, TIP_SEL.followUpCode).fill(code.toLowerCase())
  await button(view, TIP_LABELS.openFollowUp).tap()
  await view.locator(TIP_SEL.followUpTip).getByText(TIP_LABELS.fraudType, { exact: true }).waitFor()
  await view.getByText(`回执码 ${code}`, { exact: true }).waitFor()
  return view
}

/**
 * The tip's one image loads in an <img> from its signed link (naturalWidth > 0). The same link, fetched here, gives
 * the picture without the fixture's metadata; without its signature it gives nothing.
 */
async function expectImageShownAndStripped(flow, page) {
  const image = visiblePage(page).locator(TIP_SEL.attachmentImage)
  await image.waitFor()
  await page.waitForFunction((element) => element.complete && element.naturalWidth > 0, await image.elementHandle())
  const size = await image.evaluate((element) => ({ width: element.naturalWidth, height: element.naturalHeight, src: element.getAttribute('src') }))
  assert.deepEqual({ width: size.width, height: size.height }, { width: IMAGE.width, height: IMAGE.height })
  const link = new URL(size.src, flow.baseUrl)
  assert.ok(link.searchParams.get('sig'), `the image link is not signed: ${size.src}`)
  const served = await fetch(link)
  assert.equal(served.status, 200)
  const bytes = Buffer.from(await served.arrayBuffer())
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG')
  assert.ok(!bytes.includes(METADATA_MARKER), 'the served image still carries the uploaded metadata')
  link.searchParams.delete('sig')
  const unsigned = await fetch(link)
  assert.ok(unsigned.status >= 400 && unsigned.status < 500, `the image without its signature answered ${unsigned.status}`)
}

async function changeStatus(page, action, status) {
  const section = visiblePage(page).locator(TIP_SEL.status)
  await button(section, action).tap()
  await section.getByText(`当前：${status}`, { exact: true }).waitFor()
  await visiblePage(page).locator('.tip-summary__status').getByText(status, { exact: true }).waitFor()
}

/** Taro's H5 modal: checks its confirm label and taps it. */
async function confirmModal(page, label) {
  // The modal's root has no box of its own (its children are fixed): wait on the button.
  const confirm = page.locator(`${TIP_SEL.modal} .taro-model__confirm:visible`)
  await confirm.waitFor()
  assert.equal((await confirm.textContent()).trim(), label)
  await confirm.click()
  await confirm.waitFor({ state: 'hidden' })
}

/** The rewards page's one card (the flows make one reward). */
function rewardCard(page) {
  return visiblePage(page).locator(TIP_SEL.rewardCard).filter({ hasText: `${TIP_LABELS.fraudType}，${REWARD_YUAN} 元` })
}

async function openTab(page, label) {
  await visiblePage(page).locator(TIP_SEL.tab).filter({ hasText: new RegExp(`^${label}$`) }).tap()
}

function periodRow(view, label) {
  return view.locator(`${TIP_SEL.talliesPeriods}[aria-label="${label}：1 件，奖励 ${REWARD_YUAN} 元，已发放 ${REWARD_YUAN} 元"]`)
}

/** `2026年12月`: the Shanghai month an instant falls in, as the tallies label it (api common/shanghai-dates.ts). */
function monthLabel(iso) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric' }).formatToParts(new Date(iso))
  const value = (type) => Number(parts.find((part) => part.type === type).value)
  return `${value('year')}年${value('month')}月`
}

async function assertNotInPage(page, texts, what) {
  const everything = await page.evaluate(() => document.body.textContent ?? '')
  for (const text of texts) assert.ok(!everything.includes(text), `${what}, but "${text}" is in the page text`)
}

// ---- The API, as the people of the flows (dev login gives the same user as the demo login page) ---------------------

async function apiCall(baseUrl, method, pathname, token, body) {
  const response = await fetch(`${baseUrl}${pathname}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

/** An access token for the demo user `name` with `role` in that role's default unit (the page's picks). */
async function devLogin(baseUrl, { name, role }) {
  const answer = await apiCall(baseUrl, 'POST', '/api/auth/dev-login', null, { name, role })
  assert.equal(answer.status, 200, `dev login of ${name} answered ${answer.status}: ${JSON.stringify(answer.body)}`)
  return answer.body.accessToken
}

/** `granting` (a township admin) invites `member` to the township office as 乡镇管理员 and approves the application. */
async function grantTownshipAdmin(baseUrl, granting, member) {
  const units = await apiCall(baseUrl, 'GET', '/api/units', granting)
  const office = units.body.find((unit) => unit.name === SEED.townshipOffice)
  assert.ok(office, `no ${SEED.townshipOffice} among ${JSON.stringify(units.body)}`)
  const invite = await apiCall(baseUrl, 'POST', `/api/units/${office.id}/invites`, granting, { role: 'township_admin' })
  assert.equal(invite.status, 201, JSON.stringify(invite.body))
  const joined = await apiCall(baseUrl, 'POST', '/api/memberships/join', member, { code: invite.body.code })
  assert.equal(joined.status, 201, JSON.stringify(joined.body))
  const approved = await apiCall(baseUrl, 'POST', `/api/units/${office.id}/members/${joined.body.id}/approve`, granting)
  assert.equal(approved.status, 200, JSON.stringify(approved.body))
  assert.equal(approved.body.status, 'active')
}

// ---- The image fixture ------------------------------------------------------------------------------------------------

/**
 * A real 8-bit RGB PNG (a gradient) carrying an eXIf chunk (TIFF with Make = the marker) and a tEXt chunk, as phone
 * screenshots carry device and location data.
 */
function pngWithMetadata(width, height) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const rows = Array.from({ length: height }, (_, y) =>
    Buffer.from([0, ...Array.from({ length: width }, (_, x) => [(x * 5) % 256, (y * 7) % 256, 160]).flat()]),
  )
  // Big-endian TIFF: one IFD entry, Make (0x010f, ASCII), its string after the IFD at offset 26.
  const make = Buffer.from(`${METADATA_MARKER}\0`, 'latin1')
  const tiff = Buffer.alloc(26)
  tiff.write('MM', 0, 'latin1')
  tiff.writeUInt16BE(42, 2)
  tiff.writeUInt32BE(8, 4)
  tiff.writeUInt16BE(1, 8)
  tiff.writeUInt16BE(0x010f, 10)
  tiff.writeUInt16BE(2, 12)
  tiff.writeUInt32BE(make.length, 14)
  tiff.writeUInt32BE(26, 18)
  tiff.writeUInt32BE(0, 22)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('eXIf', Buffer.concat([tiff, make])),
    chunk('tEXt', Buffer.from(`Comment\0${METADATA_MARKER}`, 'latin1')),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}
