/// <reference types="jest" />
import { render, screen } from '@testing-library/react'

import Index from '../../src/pages/index/index'

describe('the Jest setup, on the home page', () => {
  it('renders the home page with both hotline numbers', () => {
    render(<Index />)

    expect(screen.getAllByText(/023-79332042/).length).toBeGreaterThan(0)
    expect(screen.getAllByText(/96110/).length).toBeGreaterThan(0)
  })
})
