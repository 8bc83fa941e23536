// Reading the rendered tree: built-in components render as <wx-*> elements, so selectors are
// translated, and text is read the way a person sees it.

const BUILTIN_TAGS = [
  'view', 'text', 'button', 'input', 'textarea', 'image', 'icon', 'scroll-view', 'swiper', 'swiper-item',
  'navigator', 'form', 'label', 'checkbox', 'checkbox-group', 'radio', 'radio-group', 'switch', 'slider',
  'picker', 'picker-view', 'picker-view-column', 'video', 'audio', 'camera', 'map', 'canvas', 'rich-text',
  'progress', 'web-view', 'cover-view', 'cover-image', 'movable-area', 'movable-view', 'editor', 'ad',
  'open-data', 'official-account', 'page-meta', 'navigation-bar', 'root-portal', 'match-media',
]
const TAG_PATTERN = new RegExp(`(^|[\\s>+~,(])(${BUILTIN_TAGS.map((tag) => tag.replace('-', '\\-')).join('|')})(?=$|[\\s.#\\[:>+~,)])`, 'g')

/** `button.call` -> `wx-button.call`: built-in components render as <wx-*> elements. */
export function toDomSelector(selector) {
  return selector.replace(TAG_PATTERN, (_, before, tag) => `${before}wx-${tag}`)
}

/**
 * Rendered text with one space between elements (so separate <text> nodes do not run together),
 * but none inside an element: <Text>共{n}人</Text> reads "共3人". Whitespace is collapsed.
 */
export function renderedText(dom) {
  const parts = []
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) parts.push(child.data)
      else if (child.nodeType === 1) {
        parts.push(' ')
        walk(child)
        parts.push(' ')
      }
    }
  }
  walk(dom)
  return parts.join('').replace(/\s+/g, ' ').trim()
}

/** A rendered node; tap/input/trigger go through its page, so they settle like the page's own. */
export class SimElement {
  constructor(dom, page) {
    this.dom = dom
    this.page = page
  }

  /** `view`, `text`, `button`, ... (or the custom component tag). */
  get tagName() {
    return this.dom.tagName.toLowerCase().replace(/^wx-/, '')
  }

  get className() {
    return this.dom.getAttribute('class') ?? ''
  }

  get classList() {
    return this.className.split(/\s+/).filter(Boolean)
  }

  hasClass(name) {
    return this.classList.includes(name)
  }

  get id() {
    return this.dom.__wxElement?.id ?? ''
  }

  get dataset() {
    return { ...(this.dom.__wxElement?.dataset ?? {}) }
  }

  /**
   * Attributes the template gave this node, after data binding: { checked: true, hoverClass: 'none',
   * value: '...', 'data-sid': '_AS', ... } (wcc camel-cases dashed names).
   */
  get props() {
    const props = {}
    for (const { name, value } of this.dom.__wxElement?._vt?.attrs ?? []) props[name] = value
    return props
  }

  /** One template attribute (`checked`, `value`, `hover-class`/`hoverClass`), else the DOM attribute. */
  attr(name) {
    const props = this.props
    const camel = name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase())
    if (name in props) return props[name]
    if (camel in props) return props[camel]
    return this.dom.getAttribute(name)
  }

  text() {
    return renderedText(this.dom)
  }

  querySelector(selector) {
    const found = this.dom.querySelector(toDomSelector(selector))
    return found ? new SimElement(found, this.page) : null
  }

  querySelectorAll(selector) {
    return [...this.dom.querySelectorAll(toDomSelector(selector))].map((dom) => new SimElement(dom, this.page))
  }

  tap() {
    return this.page.tap(this)
  }

  input(value) {
    return this.page.input(this, value)
  }

  trigger(type, detail, extra) {
    return this.page.trigger(this, type, detail, extra)
  }
}
