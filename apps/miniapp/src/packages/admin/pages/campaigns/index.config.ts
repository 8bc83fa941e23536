export default definePageConfig({ navigationBarTitleText: '观看任务' })
