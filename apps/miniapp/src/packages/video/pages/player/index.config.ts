export default definePageConfig({ navigationBarTitleText: '观看视频' })
