export default definePageConfig({ navigationBarTitleText: '演示登录' })
