/// <reference types="jest" />
import { act, render, screen } from '@testing-library/react'
import { Text } from '@tarojs/components'

import { deferred, taroMock } from '../../test/jest/taro'
import { clientError } from '../api/transport'
import { useKeyedRemote, useRemote } from './use-remote'

/** A page that shows one remote value, its error and its loading state. */
function Page({ load }: { load: () => Promise<string> }) {
  const remote = useRemote(load)
  return (
    <>
      {remote.loading && <Text>加载中</Text>}
      {remote.data !== undefined && <Text>{`数据：${remote.data}`}</Text>}
      {remote.error && <Text>{remote.error.message}</Text>}
    </>
  )
}

describe('useRemote', () => {
  it('loads when the page is first shown', async () => {
    const load = jest.fn(async () => '第一次')

    render(<Page load={load} />)

    expect(screen.getByText('加载中')).toBeTruthy()
    expect(await screen.findByText('数据：第一次')).toBeTruthy()
    expect(screen.queryByText('加载中')).toBeNull()
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('loads again each time the page is shown, so coming back from a sub-page shows fresh data', async () => {
    let version = 0
    const load = jest.fn(async () => `第${++version}版`)
    render(<Page load={load} />)
    await screen.findByText('数据：第1版')

    await act(async () => taroMock.showPage())

    expect(await screen.findByText('数据：第2版')).toBeTruthy()
    expect(load).toHaveBeenCalledTimes(2)
  })

  it('keeps showing the newest answer when an older, slower one arrives after it', async () => {
    const slow = deferred<string>()
    const fast = deferred<string>()
    const answers = [slow.promise, fast.promise]
    render(<Page load={() => answers.shift()!} />)

    await act(async () => taroMock.showPage())
    await act(async () => fast.resolve('新'))
    await act(async () => slow.resolve('旧'))

    expect(screen.getByText('数据：新')).toBeTruthy()
    expect(screen.queryByText('数据：旧')).toBeNull()
  })

  it('shows the Chinese message of a failed load and keeps the data it had', async () => {
    const answers: Array<() => Promise<string>> = [async () => '名单', async () => Promise.reject(clientError('NETWORK'))]
    render(<Page load={() => answers.shift()!()} />)
    await screen.findByText('数据：名单')

    await act(async () => taroMock.showPage())

    expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeTruthy()
    expect(screen.getByText('数据：名单')).toBeTruthy()
  })

  it('shows a generic Chinese message, not the developer’s, when the load throws something unexpected', async () => {
    render(<Page load={async () => Promise.reject(new TypeError('cannot read properties of undefined'))} />)

    expect(await screen.findByText('服务器开小差了，请稍后再试')).toBeTruthy()
    expect(screen.queryByText(/cannot read/)).toBeNull()
  })
})

/** A list filtered by `filter`, loaded through useKeyedRemote. */
function FilteredPage({ filter, load }: { filter: string; load: (filter: string) => Promise<string> }) {
  const remote = useKeyedRemote(filter, () => load(filter))
  return remote.data === undefined ? <Text>加载中</Text> : <Text>{`数据：${remote.data}`}</Text>
}

describe('useKeyedRemote', () => {
  it('loads once when the page is first shown and again when the key changes', async () => {
    const load = jest.fn(async (filter: string) => `${filter}的名单`)
    const { rerender } = render(<FilteredPage filter='全部' load={load} />)
    await screen.findByText('数据：全部的名单')

    rerender(<FilteredPage filter='已逾期' load={load} />)

    expect(await screen.findByText('数据：已逾期的名单')).toBeTruthy()
    expect(load.mock.calls).toEqual([['全部'], ['已逾期']])
  })

  it('never shows the data of the previous key while the new one loads', async () => {
    const next = deferred<string>()
    const answers = [Promise.resolve('旧名单'), next.promise]
    const { rerender } = render(<FilteredPage filter='全部' load={() => answers.shift()!} />)
    await screen.findByText('数据：旧名单')

    rerender(<FilteredPage filter='已逾期' load={() => answers.shift()!} />)

    expect(screen.getByText('加载中')).toBeTruthy()
    expect(screen.queryByText('数据：旧名单')).toBeNull()
    await act(async () => next.resolve('新名单'))
    expect(screen.getByText('数据：新名单')).toBeTruthy()
  })
})
