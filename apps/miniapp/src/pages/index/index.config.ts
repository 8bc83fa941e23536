import { APP_NAME } from '../../constants'

export default definePageConfig({
  navigationBarTitleText: APP_NAME,
})
