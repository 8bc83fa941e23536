/**
 * Stand-in for `@tarojs/components` under Jest: the real H5 components, loaded one file at a time.
 *
 * `@tarojs/components-react`'s main entry re-exports the whole Stencil library, which drags in the Taro
 * runtime (build-time globals such as ENABLE_INNER_HTML) and swiper/hls bundles. So the React-native
 * components come from their own files, and the Stencil ones are defined element by element, on first render.
 */
import { createElement, forwardRef, Fragment, useEffect, useRef, type ComponentType, type Ref } from 'react'

import TaroButton from '@tarojs/components-react/dist/components/button/index.js'

import { createReactComponent } from '@tarojs/components/lib/react/react-component-lib/createComponent.js'
import { manipulatePropsFunction } from '@tarojs/components/lib/react/helper.js'

export { default as Icon } from '@tarojs/components-react/dist/components/icon/index.js'
export { default as Image } from '@tarojs/components-react/dist/components/image/index.js'
export { default as Input } from '@tarojs/components-react/dist/components/input/index.js'
export { default as Picker } from '@tarojs/components-react/dist/components/picker/index.js'
export { default as ScrollView } from '@tarojs/components-react/dist/components/scroll-view/index.js'
export { default as Text } from '@tarojs/components-react/dist/components/text/index.js'
export { default as View } from '@tarojs/components-react/dist/components/view/index.js'
export { Swiper, SwiperItem } from '@tarojs/components-react/dist/components/swiper/index.js'

export const Block = Fragment

type Loader = () => { defineCustomElement: () => void }

function stencil(tagName: string, load: Loader): ComponentType<Record<string, unknown>> {
  let Real: ComponentType<Record<string, unknown>> | undefined
  const Lazy = forwardRef<unknown, Record<string, unknown>>(function StencilElement(props, ref) {
    Real ??= createReactComponent(tagName, undefined, manipulatePropsFunction, () => load().defineCustomElement())
    return createElement(Real as ComponentType<Record<string, unknown>>, { ...props, ref })
  })
  Lazy.displayName = tagName
  return Lazy as unknown as ComponentType<Record<string, unknown>>
}


export const Checkbox = stencil('taro-checkbox-core', () => require('@tarojs/components/dist/components/taro-checkbox-core.js'))
export const CheckboxGroup = stencil('taro-checkbox-group-core', () => require('@tarojs/components/dist/components/taro-checkbox-group-core.js'))
export const Form = stencil('taro-form-core', () => require('@tarojs/components/dist/components/taro-form-core.js'))
export const Label = stencil('taro-label-core', () => require('@tarojs/components/dist/components/taro-label-core.js'))
export const Navigator = stencil('taro-navigator-core', () => require('@tarojs/components/dist/components/taro-navigator-core.js'))
export const Progress = stencil('taro-progress-core', () => require('@tarojs/components/dist/components/taro-progress-core.js'))
export const Radio = stencil('taro-radio-core', () => require('@tarojs/components/dist/components/taro-radio-core.js'))
export const RadioGroup = stencil('taro-radio-group-core', () => require('@tarojs/components/dist/components/taro-radio-group-core.js'))
export const RichText = stencil('taro-rich-text-core', () => require('@tarojs/components/dist/components/taro-rich-text-core.js'))
export const Slider = stencil('taro-slider-core', () => require('@tarojs/components/dist/components/taro-slider-core.js'))
export const Switch = stencil('taro-switch-core', () => require('@tarojs/components/dist/components/taro-switch-core.js'))
export const Textarea = stencil('taro-textarea-core', () => require('@tarojs/components/dist/components/taro-textarea-core.js'))
export const Video = stencil('taro-video-core', () => require('@tarojs/components/dist/components/taro-video-core.js'))
export const WebView = stencil('taro-web-view-core', () => require('@tarojs/components/dist/components/taro-web-view-core.js'))

/**
 * WeChat's open-type buttons (getPhoneNumber, agreePrivacyAuthorization, …) answer with events that have no DOM
 * counterpart, and Taro's H5 Button hands their props to a <div> (React warns). This Button keeps `openType`
 * as `data-open-type` and turns a DOM CustomEvent named after the WeChat event (lower case, e.g.
 * `getphonenumber`) into the matching `on…` prop, so tests can fire them with fireOpenTypeEvent() from dom.ts.
 */
const OPEN_TYPE_EVENTS = [
  'AddFriend', 'AddGroupApp', 'AgreePrivacyAuthorization', 'ChooseAddress', 'ChooseAvatar', 'ChooseInvoiceTitle',
  'Contact', 'CreateLiveActivity', 'Error', 'FollowLifestyle', 'GetAuthorize', 'GetPhoneNumber',
  'GetPhoneNumberAndRiskLevel', 'GetRealTimePhoneNumber', 'GetUserInfo', 'JoinGroup', 'LaunchApp', 'Login',
  'OpenAwemeUserProfile', 'OpenSetting',
]
const OPEN_TYPE_HANDLER = new RegExp(`^on(${OPEN_TYPE_EVENTS.join('|')})$`)
const OPEN_TYPE_EVENT_NAMES = OPEN_TYPE_EVENTS.map((name) => name.toLowerCase())

export const Button = forwardRef<HTMLElement, Record<string, unknown>>(function Button(props, ref) {
  const { openType, ...rest } = props
  const handlers: Record<string, (event: unknown) => void> = {}
  const passed: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(rest)) {
    if (OPEN_TYPE_HANDLER.test(name) && typeof value === 'function') handlers[name.slice(2).toLowerCase()] = value as (event: unknown) => void
    else passed[name] = value
  }
  const latest = useRef(handlers)
  latest.current = handlers
  const node = useRef<HTMLElement | null>(null)
  useEffect(() => {
    const element = node.current
    if (!element) return
    const listener = (event: Event) => {
      latest.current[event.type]?.({ type: event.type, detail: (event as CustomEvent).detail ?? {}, currentTarget: element, target: element })
    }
    for (const name of OPEN_TYPE_EVENT_NAMES) element.addEventListener(name, listener)
    return () => {
      for (const name of OPEN_TYPE_EVENT_NAMES) element.removeEventListener(name, listener)
    }
  }, [])
  const setRef = (element: HTMLElement | null) => {
    node.current = element
    if (typeof ref === 'function') ref(element)
    else if (ref) (ref as { current: HTMLElement | null }).current = element
  }
  return createElement(TaroButton as ComponentType<Record<string, unknown>>, {
    ...passed,
    ...(openType === undefined ? {} : { 'data-open-type': openType }),
    ref: setRef as Ref<unknown>,
  })
})

