import { useEffect, useState } from 'react';

/**
 * A message for the next page the person lands on, such as "已删除网关 gw-2" after the gateway page
 * they were on is gone, or "已添加设备" on the gateway page after the add-device page.
 */
let pending: string | undefined;

/** Leaves `message` for the next page that calls {@link useFlash}. */
export const setFlash = (message: string): void => {
  pending = message;
};

/**
 * The message left by {@link setFlash}, as the initial state of a page's status line; shown by this
 * page only. (Read in the state initialiser and cleared in an effect, so React's double render in
 * development reads it twice rather than losing it.)
 */
export function useFlash(): [string | undefined, (message: string | undefined) => void] {
  const state = useState<string | undefined>(() => pending);
  useEffect(() => {
    pending = undefined;
  }, []);
  return state;
}
