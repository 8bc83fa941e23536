// wx's asynchronous calling convention, shared by every async API of the mock: callbacks (or a
// Promise) answer later, as in WeChat, and settle() can see the work in state.pendingRequests.

/**
 * With success/fail/complete the callbacks answer; without them, a Promise does.
 * `target` is what to call back (the caller's options, or ones that settle `promise`).
 */
export function callbacksOrPromise(opts) {
  if (opts.success || opts.fail || opts.complete) return { promise: null, target: opts }
  let target
  const promise = new Promise((resolve, reject) => {
    target = { ...opts, success: resolve, fail: reject }
  })
  return { promise, target }
}

/** What an API's implementation returns to fail the call: errMsg becomes `${name}:fail ${reason}`. */
export const fail = (reason, result = {}) => ({ __fail: reason, result })

/** Calls success or fail, then complete, with `${name}:ok` / `${name}:fail reason` as errMsg. */
export function finish(opts, name, result, ok = true) {
  const res = { errMsg: `${name}:${ok ? 'ok' : `fail${result?.reason ? ` ${result.reason}` : ''}`}`, ...result }
  delete res.reason
  if (ok) opts.success?.(res)
  else opts.fail?.(res)
  opts.complete?.(res)
  return res
}

/**
 * Returns { later, asyncApi, closed, close }. After close() no callback runs: the test is over.
 * `privacy.holds(name)` says whether an API must wait for consent first (privacy.mjs).
 */
export function createAsyncRuntime({ state, privacy }) {
  let closed = false

  /** Runs fn on a later turn, like WeChat's callbacks; settle() waits for it. */
  const later = (fn) => {
    state.pendingRequests++
    setTimeout(() => {
      state.pendingRequests--
      if (!closed) fn()
    }, 0)
  }

  /** An async API from run(opts) => result | fail(...) | Promise of either. */
  const asyncApi = (name, run) => (opts = {}) => {
    const { promise, target } = callbacksOrPromise(opts)
    const deliver = (value) => {
      if (value && value.__fail) finish(target, name, { reason: value.__fail, ...value.result }, false)
      else finish(target, name, value ?? {}, true)
    }
    const failWith = (error) => finish(target, name, { reason: error?.message ?? String(error) }, false)
    const proceed = () => {
      try {
        const outcome = run(opts)
        if (outcome && typeof outcome.then === 'function') track(outcome, deliver, failWith)
        else deliver(outcome)
      } catch (error) {
        failWith(error)
      }
    }
    later(() => {
      if (privacy.holds(name)) {
        // Waiting for the person is not pending work: settle() returns while the sheet is up.
        privacy.authorize(name).then(
          () => !closed && proceed(),
          (error) => !closed && finish(target, name, { reason: error.message, errno: 104 }, false),
        )
      } else {
        proceed()
      }
    })
    return promise ?? undefined
  }

  /** Counts a pending promise as work for settle(); drops its outcome once closed. */
  function track(outcome, onValue, onError) {
    state.pendingRequests++
    outcome.then(
      (value) => {
        state.pendingRequests--
        if (!closed) onValue(value)
      },
      (error) => {
        state.pendingRequests--
        if (!closed) onError(error)
      },
    )
  }

  return {
    later,
    asyncApi,
    get closed() {
      return closed
    },
    close() {
      closed = true
    },
  }
}
