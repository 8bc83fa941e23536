export default definePageConfig({ navigationBarTitleText: '观看进度' })
