export default definePageConfig({ navigationBarTitleText: '举报进度' })
