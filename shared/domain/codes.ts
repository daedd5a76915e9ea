import * as z from '../zod.js';

/** How series key reporters and partners: an ISO 3166 alpha-3 code, or an area code of that shape (W00, EUU). */
export const COUNTRY_CODE = /^[A-Z0-9]{3}$/;

export const countryCodeSchema = z.string().check(z.regex(COUNTRY_CODE, 'expected an ISO 3166 alpha-3 code, e.g. KAZ'));
