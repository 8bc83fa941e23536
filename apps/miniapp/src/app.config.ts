import { APP_NAME } from './constants'

// Evaluated at build time: the demo login's pages exist only in demo builds (see config/index.ts).
const demoLogin = process.env.TARO_APP_DEMO_LOGIN === 'true'

export default defineAppConfig({
  // Tab pages must live in the main package; everything else loads on demand from a subpackage per area.
  pages: ['pages/index/index', 'pages/quiz/index', 'pages/report/index', 'pages/mine/index'],
  subPackages: [
    { root: 'packages/admin', pages: ['pages/unit/index', 'pages/units/index', 'pages/campaigns/index', 'pages/campaign/index', 'pages/tips/index', 'pages/tip/index', 'pages/rewards/index', 'pages/tallies/index'] },
    { root: 'packages/video', pages: ['pages/campaigns/index', 'pages/player/index'] },
    { root: 'packages/tips', pages: ['pages/follow-up/index'] },
    { root: 'packages/school', pages: ['pages/notices/index'] },
    ...(demoLogin ? [{ root: 'packages/demo', pages: ['pages/login/index'] }] : []),
  ],
  lazyCodeLoading: 'requiredComponents',
  // Icons are drawn by scripts/tab-icons.mjs.
  tabBar: {
    color: '#5b6470',
    selectedColor: '#c8102e',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/quiz/index', text: '答题', iconPath: 'assets/tab/quiz.png', selectedIconPath: 'assets/tab/quiz-active.png' },
      { pagePath: 'pages/report/index', text: '举报', iconPath: 'assets/tab/report.png', selectedIconPath: 'assets/tab/report-active.png' },
      { pagePath: 'pages/mine/index', text: '我的', iconPath: 'assets/tab/mine.png', selectedIconPath: 'assets/tab/mine-active.png' },
    ],
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#c8102e',
    navigationBarTitleText: APP_NAME,
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f6f8',
  },
})
