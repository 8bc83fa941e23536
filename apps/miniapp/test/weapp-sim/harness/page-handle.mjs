// The handle a test holds for an open page: reading what it rendered, and acting on it as a
// finger would. Events are real exparser events, so a tap reaches Taro's `eh` handler and React.
import { openTypeEvent } from './open-type.mjs'
import { SimElement, renderedText, toDomSelector } from './sim-element.mjs'

export function createPageHandle({ app, entry, component, instance, exparser }) {
  const root = () => component.dom
  const wrap = (dom) => (dom ? new SimElement(dom, page) : null)
  const resolve = (target) => resolveTarget(page, target)
  const dispatch = (element, type, detail, extra) => dispatchEvent(exparser, element, type, detail, extra)
  // Lifecycle calls the test makes on WeChat's behalf, each followed by settle().
  const lifecycle = (name) => async () => {
    instance[name]?.()
    await app.settle()
  }

  const page = {
    route: entry.route,
    query: entry.query,
    app,
    wx: app.wx,
    get calls() {
      return app.calls
    },
    callsTo: app.callsTo,
    callArgs: app.callArgs,
    storage: app.storage,
    requests: app.requests,
    errors: app.errors,
    /** The page instance (what Page() methods see as `this`). */
    instance,
    component,
    /** Current page data, as setData left it. */
    get data() {
      return component.data
    },
    get dom() {
      return root()
    },
    /** All rendered text: elements separated by one space, whitespace collapsed. */
    text: () => renderedText(root()),
    /** Raw DOM textContent (no separators between elements). */
    textContent: () => root().textContent,
    /** Outer HTML of the rendered tree (wx-* elements), for debugging. */
    html: () => root().outerHTML,
    querySelector: (selector) => wrap(root().querySelector(toDomSelector(selector))),
    querySelectorAll: (selector) => [...root().querySelectorAll(toDomSelector(selector))].map(wrap),
    /** Innermost element whose text contains `text` (string or RegExp). */
    getByText(text) {
      const matches = (value) => (text instanceof RegExp ? text.test(value) : value.includes(text))
      let best = null
      for (const dom of root().querySelectorAll('*')) {
        if (matches(renderedText(dom))) best = dom // document order: a later match is nested deeper
      }
      return wrap(best)
    },
    /**
     * Taps like a finger: touchstart, touchend, tap on the element (bubbling), then settles. A <button>
     * with an open-type also gets the event WeChat would send (agreeprivacyauthorization,
     * getphonenumber, chooseavatar, ...), after the privacy flow where WeChat runs one.
     */
    async tap(target) {
      const element = resolve(target)
      dispatch(element, 'touchstart')
      dispatch(element, 'touchend')
      dispatch(element, 'tap', { x: 1, y: 1 })
      const openType = element.tagName === 'button' ? element.attr('open-type') : undefined
      if (openType) {
        // Not awaited: a privacy sheet may hold it until a later tap answers (settle() still returns).
        openTypeEvent(openType, app)
          .then((outcome) => {
            page.openTypeEvents.push({ openType, ...(outcome ?? { type: null }) })
            if (outcome) dispatch(element, outcome.type, outcome.detail, { bubbles: false })
          })
          .catch((error) => app.errors.push(error))
      }
      await app.settle()
      return element
    },
    /** Events sent for open-type buttons, in order: { openType, type, detail }. */
    openTypeEvents: [],
    /** Types into an <input>/<textarea>: fires `input` (value, cursor, keyCode) then settles. */
    async input(target, value) {
      const element = resolve(target)
      dispatch(element, 'focus', { value: element.attr('value') ?? '', height: 0 }, { bubbles: false })
      dispatch(element, 'input', { value: String(value), cursor: String(value).length, keyCode: 0 }, { bubbles: false })
      dispatch(element, 'blur', { value: String(value), cursor: String(value).length }, { bubbles: false })
      await app.settle()
      return element
    },
    /** Fires any component event, e.g. trigger('switch', 'change', { value: true }). */
    async trigger(target, type, detail = {}, extra = {}) {
      const element = resolve(target)
      dispatch(element, type, detail, extra)
      await app.settle()
      return element
    },
    settle: (options) => app.settle(options),
    flush: (options) => app.settle(options),
    waitFor: (predicate, options) => app.waitFor(predicate, options),
    waitForText: (text, options) => app.waitFor(() => page.text().includes(text), options),
    show: lifecycle('onShow'),
    hide: lifecycle('onHide'),
    pullDownRefresh: lifecycle('onPullDownRefresh'),
    unload: () => entry.unload(),
    close: () => entry.unload(),
  }
  return page
}

/** A SimElement, a selector, or { text }; a miss throws with what was rendered instead. */
function resolveTarget(page, target) {
  if (target instanceof SimElement) return target
  if (typeof target === 'string') {
    const found = page.querySelector(target)
    if (!found) throw new Error(`no element matches ${JSON.stringify(target)} on ${page.route}. Rendered:\n${page.html().slice(0, 2000)}`)
    return found
  }
  if (target && typeof target === 'object' && 'text' in target) {
    const found = page.getByText(target.text)
    if (!found) throw new Error(`no element with text ${JSON.stringify(target.text)} on ${page.route}. Text: ${page.text()}`)
    return found
  }
  throw new Error(`cannot resolve element from ${String(target)}`)
}

/** Dispatches on the exparser node behind the DOM element, with the touch fields Taro reads. */
function dispatchEvent(exparser, element, type, detail = {}, extra = {}) {
  const node = element.dom.__wxElement
  if (!node) throw new Error(`element <${element.tagName}> has no exparser node`)
  const touch = { identifier: 0, pageX: 1, pageY: 1, clientX: 1, clientY: 1, x: 1, y: 1 }
  const event = exparser.Event.create(type, detail, {
    bubbles: extra.bubbles ?? true,
    capturePhase: true,
    composed: true,
    extraFields: {
      touches: extra.touches ?? (type === 'touchend' || type === 'touchcancel' ? [] : [touch]),
      changedTouches: extra.changedTouches ?? [touch],
    },
  })
  exparser.Event.dispatchEvent(node, event)
}
