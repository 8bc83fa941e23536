/** The element's classes, for `expect(classesOf(el)).toContain(...)` (no jest-dom in this project). */
export function classesOf(element: Element | null | undefined): string[] {
  if (!element) throw new Error('classesOf: no such element')
  return [...element.classList]
}

/**
 * Fires a WeChat open-type button event (`getphonenumber`, `agreeprivacyauthorization`, …) on the button that
 * contains `element`, with `detail` as WeChat would send it. See the Button in test/jest/components.ts.
 */
export function fireOpenTypeEvent(element: Element, eventName: string, detail: Record<string, unknown> = {}): void {
  const button = element.closest('[data-open-type]')
  if (!button) throw new Error(`fireOpenTypeEvent: no open-type button around ${element.outerHTML.slice(0, 80)}`)
  button.dispatchEvent(new CustomEvent(eventName.toLowerCase(), { detail, bubbles: false }))
}

/** The open-type of the button that contains `element` (what WeChat would see), or null. */
export function openTypeOf(element: Element): string | null {
  return element.closest('[data-open-type]')?.getAttribute('data-open-type') ?? null
}

type Rtl = typeof import('@testing-library/react')

/** Taro's H5 picker rows are this tall; jsdom measures nothing, so the picker falls back to it as well. */
const PICKER_ROW_HEIGHT = 34

/**
 * Chooses `option` in a Taro `<Picker mode='selector'>` the way a person does on H5: open it by tapping
 * `trigger` (something inside the picker), scroll the column to the option, wait for it to settle, tap 确定.
 */
export async function pickOption(rtl: Rtl, trigger: Element, option: string): Promise<void> {
  rtl.fireEvent.click(trigger)
  let overlay: Element | null = null
  for (let node = trigger.parentElement; node && !overlay; node = node.parentElement) {
    overlay = node.querySelector(':scope > .taro-picker__overlay')
  }
  if (!overlay) throw new Error(`pickOption: no picker opened from ${trigger.textContent}`)
  const items = [...overlay.querySelectorAll('.taro-picker__item:not(.taro-picker__item--blank)')]
  const item = items.find((candidate) => candidate.textContent === option)
  if (!item) throw new Error(`pickOption: "${option}" is not among ${items.map((candidate) => candidate.textContent).join(', ')}`)
  const column = item.closest('.taro-picker__content')!
  const scrollTop = items.indexOf(item) * PICKER_ROW_HEIGHT
  Object.defineProperty(column, 'scrollTop', { configurable: true, get: () => scrollTop, set: () => undefined })
  rtl.fireEvent.scroll(column)
  // The row highlights at once; the column settles 150 ms after the last scroll event, then 100 ms later
  // takes the row as chosen.
  await rtl.waitFor(() => {
    if (!item.classList.contains('taro-picker__item--selected')) throw new Error(`"${option}" not selected yet`)
  })
  await rtl.act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 300))
  })
  rtl.fireEvent.click(rtl.within(overlay as HTMLElement).getByText('确定'))
}

/**
 * Lets pending work finish (promise chains, a request and its answer, the re-render) before asserting that
 * something did NOT happen: an absence asserted straight after a tap proves nothing, the call may still be coming.
 */
export async function settled(rtl: Rtl): Promise<void> {
  await rtl.act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20))
  })
}
