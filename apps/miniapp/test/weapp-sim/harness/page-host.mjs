// Opening a page: each page is a small j-component host whose methods are the page's Page()
// definition, so Taro's setData re-renders it. The components it uses (Taro's recursive `comp`,
// custom-wrapper, any native component) are registered from the build first.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { setupEnvironment } from './environment.mjs'
import { createPageHandle } from './page-handle.mjs'

let hostSeed = 0 // j-component ids are global, so they must differ across apps in one process

/**
 * Returns openPage(url, { query, settle }) for one app. `logic` is the app's logic layer (loads
 * bundles), `gwx` its compiled templates; opened pages go on app.pages.
 */
export function createPageHost({ app, logic, gwx, state }) {
  const { distDir, pages: pageStack, errors } = app
  const { jComponent, exparser, window } = setupEnvironment()
  const componentIds = new Map() // absolute path without extension -> j-component id

  function registerComponent(componentPath) {
    if (componentIds.has(componentPath)) return componentIds.get(componentPath)
    const id = `wsim${++hostSeed}c`
    componentIds.set(componentPath, id) // before children: recursive components refer to themselves
    const usingComponents = resolveUsing(componentPath, readJson(`${componentPath}.json`).usingComponents)
    const definition = logic.loadDefinition(componentPath, 'component')
    if (!definition) throw new Error(`${componentPath}.js did not call Component()`)
    jComponent.register({
      ...definition,
      id,
      path: componentPath,
      tagName: path.basename(componentPath),
      template: gwx(`${path.relative(distDir, componentPath).split(path.sep).join('/')}.wxml`),
      usingComponents,
      options: { ...(definition.options || {}), classPrefix: '' },
    })
    return id
  }

  function resolveUsing(ownerPath, using = {}) {
    const result = {}
    for (const [tag, target] of Object.entries(using || {})) {
      if (target.startsWith('plugin://')) continue
      const targetPath = target.startsWith('/') ? path.join(distDir, target) : path.resolve(path.dirname(ownerPath), target)
      result[tag] = registerComponent(targetPath)
    }
    return result
  }

  /** Registers the host component of `route`; its created() hands the instance to `entry`. */
  function registerPageHost(entry, stringQuery) {
    const { route } = entry
    const pagePath = path.join(distDir, route)
    if (!existsSync(`${pagePath}.js`)) throw new Error(`no page ${route} in ${distDir} (missing ${route}.js)`)
    const usingComponents = resolveUsing(pagePath, readJson(`${pagePath}.json`).usingComponents)
    const definition = logic.loadDefinition(pagePath, 'page')
    if (!definition) throw new Error(`${route}.js did not call Page()`)
    const { methods, fields } = splitDefinition(definition)
    const id = `wsim${++hostSeed}p`
    jComponent.register({
      id,
      path: pagePath,
      tagName: 'wx-page',
      template: gwx(`${route}.wxml`),
      usingComponents,
      data: JSON.parse(JSON.stringify(definition.data || {})),
      methods,
      options: { classPrefix: '' },
      lifetimes: {
        created() {
          // Page instances carry route/options; Taro reads route for its router.
          Object.assign(this, fields, { route, __route__: route, options: stringQuery })
          const originalSetData = this.setData
          this.setData = (data, callback) => {
            state.setDataCount++ // settle() watches this to know when rendering has stopped
            return originalSetData.call(this, data, callback)
          }
          entry.instance = this
        },
      },
    })
    return id
  }

  /** Accepts what navigateTo gets ('/packages/x/pages/y/index?id=3'); runs onLoad/onShow/onReady. */
  async function openPage(url, { query = {}, settle: shouldSettle = true } = {}) {
    const entry = { ...parsePageUrl(url, query), instance: null, unload: () => {} }
    const stringQuery = Object.fromEntries(Object.entries(entry.query).map(([key, value]) => [key, String(value)]))
    const component = jComponent.create(registerPageHost(entry, stringQuery))
    pageStack[pageStack.length - 1]?.instance?.onHide?.()
    pageStack.push(entry)
    const container = window.document.createElement('div')
    window.document.body.appendChild(container)
    component.attach(container)
    const instance = entry.instance
    instance.onLoad?.(stringQuery)
    instance.onShow?.()
    instance.onReady?.()
    entry.unload = unloader(entry, component, container)
    entry.page = createPageHandle({ app, entry, component, instance, exparser })
    if (shouldSettle) await app.settle()
    return entry.page
  }

  /** Runs onUnload once, removes the page from the DOM and from the stack. */
  function unloader(entry, component, container) {
    let unloaded = false
    return () => {
      if (unloaded) return
      unloaded = true
      try {
        entry.instance.onUnload?.()
      } catch (error) {
        errors.push(error)
      }
      component.detach()
      container.remove()
      const index = pageStack.indexOf(entry)
      if (index >= 0) pageStack.splice(index, 1)
    }
  }

  return openPage
}

function parsePageUrl(url, extraQuery) {
  const [routePart, search = ''] = url.split('?')
  const query = { ...Object.fromEntries(new URLSearchParams(search)), ...extraQuery }
  const route = routePart.replace(/^\//, '').replace(/\.(js|wxml)$/, '')
  return { route, query }
}

/** Page() functions become the host's methods; other fields are copied onto the instance. */
function splitDefinition(definition) {
  const methods = {}
  const fields = {}
  for (const [key, value] of Object.entries(definition)) {
    if (key === 'data') continue
    if (typeof value === 'function') methods[key] = value
    else fields[key] = value
  }
  return { methods, fields }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return {}
  }
}
