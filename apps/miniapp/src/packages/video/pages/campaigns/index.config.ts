export default definePageConfig({ navigationBarTitleText: '观看打卡' })
