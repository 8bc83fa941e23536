/// <reference types="jest" />
import { act, fireEvent, render, screen } from '@testing-library/react'
import { Button, Text } from '@tarojs/components'

import { deferred, taroMock } from '../../test/jest/taro'
import { clientError } from '../api/transport'
import { useAction, type Action } from './use-action'

/** A form button; `taps` runs the action that many times from one tap, as a fast double tap can. */
function Form({ action, toast, taps = 1, onResult }: { action: () => Promise<unknown>; toast?: string; taps?: number; onResult?: (ok: boolean) => void }) {
  const submit: Action<[]> = useAction(action, toast)
  return (
    <>
      <Button
        onClick={() => {
          for (let i = 0; i < taps; i++) void submit.run().then(onResult)
        }}
      >
        提交
      </Button>
      {submit.busy && <Text>提交中</Text>}
      {submit.error && <Text>{submit.error.message}</Text>}
      {submit.error && <Button onClick={submit.clearError}>知道了</Button>}
    </>
  )
}

describe('useAction', () => {
  it('runs once when tapped again before the first run has finished', async () => {
    const answer = deferred<void>()
    const action = jest.fn(() => answer.promise)
    const results: boolean[] = []
    render(<Form action={action} taps={2} onResult={(ok) => results.push(ok)} />)

    fireEvent.click(screen.getByText('提交'))
    expect(screen.getByText('提交中')).toBeTruthy()
    await act(async () => answer.resolve())

    expect(action).toHaveBeenCalledTimes(1)
    expect(results.sort()).toEqual([false, true])
    expect(screen.queryByText('提交中')).toBeNull()
  })

  it('can run again once the first run has finished', async () => {
    const action = jest.fn(async () => undefined)
    render(<Form action={action} />)

    await act(async () => fireEvent.click(screen.getByText('提交')))
    await act(async () => fireEvent.click(screen.getByText('提交')))

    expect(action).toHaveBeenCalledTimes(2)
  })

  it('shows the success toast after a successful run, and no toast after a failed one', async () => {
    const outcomes = [async () => undefined, async () => Promise.reject(clientError('TIMEOUT'))]
    render(<Form action={() => outcomes.shift()!()} toast='已保存' />)

    await act(async () => fireEvent.click(screen.getByText('提交')))
    await act(async () => fireEvent.click(screen.getByText('提交')))

    expect(taroMock.calls('showToast')).toEqual([expect.objectContaining({ title: '已保存' })])
    expect(screen.getByText('网络较慢，请求超时，请稍后重试')).toBeTruthy()
  })

  it('keeps the failure’s Chinese message until it is dismissed, and clears it when the next run starts', async () => {
    const answer = deferred<void>()
    const outcomes = [async () => Promise.reject(clientError('NETWORK')), () => answer.promise]
    render(<Form action={() => outcomes.shift()!()} />)

    await act(async () => fireEvent.click(screen.getByText('提交')))
    expect(screen.getByText('网络连接失败，请检查网络后重试')).toBeTruthy()

    fireEvent.click(screen.getByText('提交'))
    expect(screen.queryByText('网络连接失败，请检查网络后重试')).toBeNull()
    await act(async () => answer.resolve())
  })

  it('dismisses the message on request', async () => {
    render(<Form action={async () => Promise.reject(clientError('NETWORK'))} />)
    await act(async () => fireEvent.click(screen.getByText('提交')))

    fireEvent.click(screen.getByText('知道了'))

    expect(screen.queryByText('网络连接失败，请检查网络后重试')).toBeNull()
  })
})
