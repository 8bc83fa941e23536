/**
 * Stand-in for `@tarojs/taro` under Jest (see jest.config.cjs). Tests drive it through `taroMock`:
 * they answer requests, seed storage, read what was shown or navigated to, and fire page lifecycle events.
 * Each area lives in ./taro-mock/ with its Taro side and its test side; this module puts them together.
 *
 * The state lives on globalThis (taro-mock/state.ts), so a test that re-imports the app with
 * `jest.resetModules()` or `jest.isolateModules()` still talks to the same mock as the module under test.
 */
import { environmentApis } from './taro-mock/environment'
import { filesApis, filesControls } from './taro-mock/files'
import { lifecycleApis, lifecycleControls } from './taro-mock/lifecycle'
import { networkApis, networkControls } from './taro-mock/network'
import { privacyApis, privacyControls } from './taro-mock/privacy'
import { recordedApis, recordedControls } from './taro-mock/recorded'
import { droppedFailureControls } from './taro-mock/settle'
import { resetState } from './taro-mock/state'
import { storageApis, storageControls } from './taro-mock/storage'

export type { Answer, DownloadHandler, Reply, RequestHandler, SentDownload, SentRequest, SentUpload, TaroFailure, UploadHandler } from './taro-mock/state'
export { USER_DATA_PATH } from './taro-mock/files'
export { ENV_TYPE, Events, eventCenter } from './taro-mock/environment'
export {
  getCurrentInstance,
  useDidHide,
  useDidShow,
  useLoad,
  usePageScroll,
  usePullDownRefresh,
  useReachBottom,
  useReady,
  useRouter,
  useShareAppMessage,
  useShareTimeline,
  useTabItemTap,
  useUnload,
} from './taro-mock/lifecycle'
export { deferred, networkFailure, timeoutFailure, webTimeoutFailure } from './taro-mock/network'

const Taro = {
  ...environmentApis,
  ...networkApis,
  ...filesApis,
  ...storageApis,
  ...recordedApis,
  ...privacyApis,
  ...lifecycleApis,
}

export default Taro

type Merged<Parts extends object[]> = Parts extends [infer First, ...infer Rest extends object[]] ? First & Merged<Rest> : unknown

/** Object spread would read the getters (`requests`, `droppedFailures`, …) once; copying descriptors keeps them live. */
function merge<Parts extends object[]>(...parts: Parts): Merged<Parts> {
  return Object.defineProperties({}, Object.assign({}, ...parts.map((part) => Object.getOwnPropertyDescriptors(part)))) as Merged<Parts>
}

export const taroMock = merge(
  {
    /** Called before each test by test/jest/setup.ts. */
    reset: resetState,
  },
  networkControls,
  filesControls,
  droppedFailureControls,
  storageControls,
  recordedControls,
  lifecycleControls,
  privacyControls,
)
