export default definePageConfig({ navigationBarTitleText: '家校通知' })
