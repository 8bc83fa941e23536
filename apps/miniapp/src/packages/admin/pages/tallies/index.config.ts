export default definePageConfig({ navigationBarTitleText: '奖励统计' })
