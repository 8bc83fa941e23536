export default definePageConfig({ navigationBarTitleText: '反诈答题' })
