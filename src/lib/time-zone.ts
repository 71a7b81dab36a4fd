import { z } from 'zod';

const timeZones = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));

/** An IANA time zone, Asia/Tokyo by default: where a range's days start and end, and how exported times are written. */
export const timeZoneSchema = z
  .string()
  .refine((tz) => timeZones.has(tz), 'must be an IANA time zone such as Asia/Tokyo')
  .default('Asia/Tokyo');
