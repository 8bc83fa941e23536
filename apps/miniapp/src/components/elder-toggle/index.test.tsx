/// <reference types="jest" />
import { classesOf } from '../../../test/jest/dom'
import { isolated } from '../../../test/jest/isolated'
import { taroMock } from '../../../test/jest/taro'

/** A page as the app builds it: the shell applies 大字模式, the toggle sits somewhere inside. */
async function renderPage() {
  // Fresh modules: 大字模式 is read from storage once, when its module loads (that is, when the app starts).
  const { rtl, ElderToggle, PageShell } = isolated(() => ({
    ...(require('./index') as typeof import('./index')),
    ...(require('../page-shell') as typeof import('../page-shell')),
  }))
  const view = rtl.render(
    <PageShell>
      <ElderToggle />
    </PageShell>,
  )
  const page = () => view.container.querySelector('.page')
  const switchInput = () => view.container.querySelector<HTMLInputElement>('taro-switch-core input')
  const tapRow = () => rtl.fireEvent.click(view.getByText('大字模式'))
  // The switch is a Stencil element: it draws its inner checkbox on the next frame.
  await rtl.waitFor(() => expect(switchInput()).not.toBeNull())
  return { ...view, rtl, page, switchInput, tapRow }
}

describe('大字模式 toggle', () => {
  it('starts in normal size when nothing is stored on the device', async () => {
    const { page, switchInput } = await renderPage()

    expect(classesOf(page())).not.toContain('page--elder')
    expect(switchInput()?.checked).toBe(false)
  })

  it('tapping the row turns it on: the page gets the elder class, the switch shows on, and the choice is stored', async () => {
    const { page, switchInput, tapRow } = await renderPage()

    tapRow()

    expect(classesOf(page())).toContain('page--elder')
    expect(switchInput()?.checked).toBe(true)
    expect(taroMock.stored('qmfz.elderMode')).toBe(true)
  })

  it('tapping it again turns it back off and stores that too', async () => {
    const { page, switchInput, tapRow } = await renderPage()

    tapRow()
    tapRow()

    expect(classesOf(page())).not.toContain('page--elder')
    expect(classesOf(page())).toContain('page')
    expect(switchInput()?.checked).toBe(false)
    expect(taroMock.stored('qmfz.elderMode')).toBe(false)
  })

  it('tapping the small switch itself turns it on once, not on and straight back off', async () => {
    const { page, rtl, switchInput } = await renderPage()

    rtl.fireEvent.click(switchInput()!)

    expect(classesOf(page())).toContain('page--elder')
    expect(taroMock.stored('qmfz.elderMode')).toBe(true)
  })

  it('is restored when the app starts again', async () => {
    taroMock.store('qmfz.elderMode', true)

    const { page, switchInput } = await renderPage()

    expect(classesOf(page())).toContain('page--elder')
    expect(switchInput()?.checked).toBe(true)
  })

  it('ignores a stored value that is not exactly true', async () => {
    taroMock.store('qmfz.elderMode', 'yes')

    const { page } = await renderPage()

    expect(classesOf(page())).not.toContain('page--elder')
  })
})
