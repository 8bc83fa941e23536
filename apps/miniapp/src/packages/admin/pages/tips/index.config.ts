export default definePageConfig({ navigationBarTitleText: '举报研判' })
