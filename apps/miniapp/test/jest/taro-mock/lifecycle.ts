/**
 * Page lifecycle hooks and the router, and the test side that fires page events and sets the route's params.
 */
import { useEffect, useRef } from 'react'

import { state, type PageEvent } from './state'

function onPage(event: PageEvent, callback: () => void, runOnMount: boolean) {
  // A ref so a re-render's fresh closure is the one that runs on the next event.
  const latest = useRef(callback)
  latest.current = callback
  useEffect(() => {
    const listener = () => latest.current()
    const set = state().pageListeners.get(event) ?? new Set()
    set.add(listener)
    state().pageListeners.set(event, set)
    if (runOnMount) listener()
    return () => {
      set.delete(listener)
    }
  }, [])
}

/** Runs on mount, then again each time the test calls taroMock.showPage(). */
export const useDidShow = (callback: () => void) => onPage('show', callback, true)
export const useDidHide = (callback: () => void) => onPage('hide', callback, false)
export const usePullDownRefresh = (callback: () => void) => onPage('pullDownRefresh', callback, false)
export const useReachBottom = (callback: () => void) => onPage('reachBottom', callback, false)

/** Runs once on mount with the route's params. */
export function useLoad(callback: (params: Record<string, string>) => void): void {
  useEffect(() => {
    callback({ ...state().routerParams })
  }, [])
}
export function useReady(callback: () => void): void {
  useEffect(() => {
    callback()
  }, [])
}
export function useUnload(callback: () => void): void {
  const latest = useRef(callback)
  latest.current = callback
  useEffect(() => () => latest.current(), [])
}
export function useShareAppMessage(_callback: () => unknown): void {}
export function useShareTimeline(_callback: () => unknown): void {}
export function usePageScroll(_callback: () => void): void {}
export function useTabItemTap(_callback: () => void): void {}
export function useRouter() {
  return { params: { ...state().routerParams }, path: '' }
}
export function getCurrentInstance() {
  return { router: { params: { ...state().routerParams }, path: '' }, page: null, app: null }
}

export const lifecycleApis = {
  getCurrentInstance,
  useDidShow,
  useDidHide,
  useLoad,
  useReady,
  useUnload,
  usePullDownRefresh,
  useReachBottom,
  useRouter,
  useShareAppMessage,
  useShareTimeline,
  usePageScroll,
  useTabItemTap,
}

function firePage(event: PageEvent): void {
  for (const listener of [...(state().pageListeners.get(event) ?? [])]) listener()
}

export const lifecycleControls = {
  setRouterParams(params: Record<string, string>): void {
    state().routerParams = { ...params }
  },
  /** Page lifecycle, as the framework would fire it. Wrap in act() when it changes React state. */
  showPage: () => firePage('show'),
  hidePage: () => firePage('hide'),
  pullDownRefresh: () => firePage('pullDownRefresh'),
  reachBottom: () => firePage('reachBottom'),
}
