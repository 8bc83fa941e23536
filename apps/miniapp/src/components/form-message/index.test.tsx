/// <reference types="jest" />
import { render, screen } from '@testing-library/react'
import { ErrorCode } from '@qmfz/contracts'

import { classesOf } from '../../../test/jest/dom'
import { clientError, readResponse } from '../../api/transport'
import { FormMessage } from './index'

/** The error a page holds after the server refused a form, built the way the API client builds it. */
function serverRefusal(status: number, body: unknown): Error {
  try {
    readResponse(status, body)
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a refusal')
}

describe('FormMessage', () => {
  it('shows the server’s own Chinese message when a form is refused, marked as an error', () => {
    const error = serverRefusal(409, { code: ErrorCode.MEMBERSHIP_EXISTS, message: '您已加入或已申请加入该单位', requestId: 'r1' })

    render(<FormMessage error={error} success='已提交' />)

    const message = screen.getByText('您已加入或已申请加入该单位')
    expect(classesOf(message)).toContain('message--error')
    expect(screen.queryByText('已提交')).toBeNull()
    expect(screen.queryByText(/MEMBERSHIP_EXISTS|409/)).toBeNull()
  })

  it('shows the Chinese network message when the request never reached the server', () => {
    render(<FormMessage error={clientError('NETWORK')} />)

    expect(screen.getByText('网络连接失败，请检查网络后重试')).toBeTruthy()
  })

  it('shows the confirmation, marked as success, when there is no error', () => {
    render(<FormMessage error={null} success='已申请加入“白土镇政府”' />)

    const message = screen.getByText('已申请加入“白土镇政府”')
    expect(classesOf(message)).toContain('message--ok')
    expect(classesOf(message)).not.toContain('message--error')
  })

  it('renders nothing when there is neither an error nor a confirmation', () => {
    const { container } = render(<FormMessage error={null} success={null} />)

    expect(container.textContent).toBe('')
  })
})
