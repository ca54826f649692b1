/**
 * Who writes the demo's history: the bot, three maintainers and GitHub's merge button, each
 * in their own time zone.
 */

export interface Person {
  name: string;
  email: string;
  /** Minutes, as `Date.getTimezoneOffset` gives them (UTC-4 is 240). */
  tz: number;
}
export const BOT: Person = { name: 'CoreOS Bot', email: 'coreosbot@fedoraproject.org', tz: 0 };
export const ALEX: Person = { name: 'Alex Maintainer', email: 'alex@example.org', tz: 240 };
export const SAM: Person = { name: 'Sam Release', email: 'sam.release@example.com', tz: -120 };
export const JORDAN: Person = { name: 'Jordan Packager', email: 'jordan@example.net', tz: 300 };
export const GITHUB: Person = { name: 'GitHub', email: 'noreply@github.com', tz: 0 };
export const MAINTAINERS = [ALEX, SAM, JORDAN];

export const tracker = (n: number) => `https://github.com/coreos/fedora-coreos-tracker/issues/${n}`;
