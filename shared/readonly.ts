/**
 * A model as the UI receives it: nothing in it is changed in place. A new answer from the back
 * end replaces it whole, which is what lets zustand's selectors and React's memos compare by
 * identity. Functions pass through; arrays and tuples become readonly ones.
 */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
