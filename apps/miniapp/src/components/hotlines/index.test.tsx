/// <reference types="jest" />
import { fireEvent, render, screen } from '@testing-library/react'

import { taroMock } from '../../../test/jest/taro'
import { Hotlines } from './index'

describe('Hotlines', () => {
  it('shows both hotline numbers as text, so they can be read out or dialled by hand', () => {
    render(<Hotlines />)

    expect(screen.getByText('023-79332042')).toBeTruthy()
    expect(screen.getByText('96110')).toBeTruthy()
  })

  it('dials the township hotline as digits only when its button is tapped', () => {
    render(<Hotlines />)

    fireEvent.click(screen.getByText('拨打 023-79332042'))

    expect(taroMock.calls('makePhoneCall')).toEqual([{ phoneNumber: '02379332042' }])
  })

  it('dials 96110 from its own button, and nothing is dialled before a tap', () => {
    render(<Hotlines />)
    expect(taroMock.calls('makePhoneCall')).toHaveLength(0)

    fireEvent.click(screen.getByText('拨打 96110'))

    expect(taroMock.calls('makePhoneCall')).toEqual([{ phoneNumber: '96110' }])
  })
})
