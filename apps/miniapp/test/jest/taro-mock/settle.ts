/**
 * How every mocked Taro API settles and is recorded, and the test side of failures nobody handled.
 */
import { state, type Answer, type Callbacks, type TaroFailure } from './state'

export function record(api: string, args: unknown): void {
  state().log.push({ api, args })
}

/**
 * Settles like a Taro API: callbacks first, then the returned promise. Taro rejects that promise even when a
 * `fail` callback was given, so code that passes callbacks and drops the promise leaves an unhandled rejection
 * in the real app. The mock notes each such failure as `droppedFailures` (setup.ts fails the test on them)
 * instead of letting it surface as an anonymous unhandled rejection.
 */
export function settle<T>(api: string, options: Callbacks | undefined, run: () => T | Promise<T>): Promise<T> {
  let handled = false
  const outcome = Promise.resolve()
    .then(run)
    .then(
      (result) => {
        options?.success?.(result as never)
        options?.complete?.(result as never)
        return result
      },
      (failure: unknown) => {
        options?.fail?.(failure as never)
        options?.complete?.(failure as never)
        // Node calls a rejection unhandled once the microtask queue has drained; a few hops stand in for that.
        afterMicrotasks(5, () => {
          if (!handled) state().dropped.push(`Taro.${api}: ${(failure as TaroFailure)?.errMsg ?? String(failure)}`)
        })
        throw failure
      },
    )
  const task = new TaroPromise<T>((resolve, reject) => {
    outcome.then(resolve, reject)
  })
  // The mock reports dropped failures itself (above), so none reaches Jest as an anonymous unhandled rejection.
  Promise.prototype.then.call(task, undefined, () => undefined)
  // Not a plain Promise, so `await` goes through then() too (it skips it for a native promise).
  Object.defineProperty(task, 'then', {
    value: (...args: Parameters<Promise<T>['then']>) => {
      handled = true
      return Promise.prototype.then.apply(task, args)
    },
  })
  return task
}

class TaroPromise<T> extends Promise<T> {
  static get [Symbol.species]() {
    return Promise
  }
}

function afterMicrotasks(hops: number, callback: () => void): void {
  if (hops === 0) callback()
  else void Promise.resolve().then(() => afterMicrotasks(hops - 1, callback))
}

export function ok<T extends object>(api: string, extra?: T): T & { errMsg: string } {
  return { errMsg: `${api}:ok`, ...(extra as T) }
}

/**
 * Records the call and succeeds (navigation, toasts, dialling, clipboard and the like), unless the test set
 * another outcome with taroMock.answer(api, …).
 */
export function recorded(api: string, fallback: Answer = () => ok(api)) {
  return (options?: Callbacks & Record<string, unknown>) => {
    record(api, options)
    return settle(api, options, () => (state().answers.get(api) ?? fallback)(options))
  }
}

export const droppedFailureControls = {
  /** Taro calls that failed while nobody handled the promise they returned (see settle()). */
  get droppedFailures(): readonly string[] {
    return state().dropped
  },
  /** For a test about something else that knowingly runs into a dropped failure the app has not fixed yet. */
  tolerateDroppedFailures(): void {
    state().droppedTolerated = true
  },
  get droppedFailuresTolerated(): boolean {
    return state().droppedTolerated
  },
}
