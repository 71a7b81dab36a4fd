import { z } from 'zod';

/** Where days and business hours are read unless a caller or tenant names another zone: our users are in Japan. */
export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';

const timeZones = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));

/** An IANA time zone, Asia/Tokyo by default: where a range's days start and end, and how exported times are written. */
export const timeZoneSchema = z
  .string()
  .refine((tz) => timeZones.has(tz), 'must be an IANA time zone such as Asia/Tokyo')
  .default(DEFAULT_TIME_ZONE);
