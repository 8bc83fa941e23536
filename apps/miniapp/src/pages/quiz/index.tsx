import { ComingSoon } from '../../components/coming-soon'

export default function Quiz() {
  return <ComingSoon title='反诈答题' summary='每天几道题，学会识别刷单返利、冒充客服、虚假投资等常见骗局，答完有讲解，还能看单位排名。' />
}
