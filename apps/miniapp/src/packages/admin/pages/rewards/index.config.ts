export default definePageConfig({ navigationBarTitleText: '奖励审批' })
