// Deep imports of Taro's H5 component files (test/jest/components.ts), which ship without declarations.
declare module '@tarojs/components-react/dist/components/*' {
  import type { ComponentType } from 'react'
  const Component: ComponentType<Record<string, unknown>>
  export default Component
  export const Swiper: ComponentType<Record<string, unknown>>
  export const SwiperItem: ComponentType<Record<string, unknown>>
}
declare module '@tarojs/components/lib/react/react-component-lib/createComponent.js' {
  import type { ComponentType } from 'react'
  export function createReactComponent(
    tagName: string,
    context: undefined,
    manipulateProps: unknown,
    defineCustomElement: () => void,
  ): ComponentType<Record<string, unknown>>
}
declare module '@tarojs/components/lib/react/helper.js' {
  export const manipulatePropsFunction: unknown
}
