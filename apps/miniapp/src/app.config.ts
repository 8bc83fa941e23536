import { APP_NAME } from './constants'

export default defineAppConfig({
  pages: ['pages/index/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: APP_NAME,
    navigationBarTextStyle: 'black',
  },
})
