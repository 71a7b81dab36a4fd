import { z } from 'zod';
import type { TenantSettings, WidgetSettings } from '../../db/schema.js';
import { contactRouteSchema } from './contact-route.js';

/**
 * The widget's look and behaviour (tenant settings → `widget`). Texts left null use the widget's
 * built-in wording in the visitor's language, so a tenant that sets nothing gets a bilingual widget.
 */
export const defaultWidgetSettings: WidgetSettings = {
  title: null,
  greeting: null,
  placeholder: null,
  accent_color: '#2563eb',
  position: 'bottom-right',
  language: 'auto',
  show_sources: true,
  link_files: false,
  contact: null,
  contact_route: null,
};

export const widgetPositions = ['bottom-right', 'bottom-left'] as const;
export const widgetLanguages = ['auto', 'ja', 'en'] as const;

const text = (max: number) => z.string().trim().min(1, 'must not be empty (null uses the built-in text)').max(max, `must be at most ${max} characters`).nullable();

export const widgetSettingsSchema = z
  .object({
    title: text(60).describe('Panel heading; null: the tenant’s name'),
    greeting: text(500).describe('First message of a new conversation; null: the built-in greeting in the visitor’s language'),
    placeholder: text(100).describe('Input placeholder; null: built-in'),
    accent_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #2563eb').describe('Launcher, header and the visitor’s messages'),
    position: z.enum(widgetPositions, { error: `must be one of: ${widgetPositions.join(', ')}` }),
    language: z.enum(widgetLanguages, { error: `must be one of: ${widgetLanguages.join(', ')}` }).describe('auto: the page’s <html lang>, then the browser’s'),
    show_sources: z.boolean({ error: 'must be true or false' }).describe('Show the cited passages under each answer'),
    link_files: z
      .boolean({ error: 'must be true or false' })
      .describe('Let visitors open a cited file (a PDF at its page) through a signed link valid for 24 hours; off by default, since a cited passage is not the whole document'),
    contact: z
      .string()
      .trim()
      .min(1, 'must not be empty (null: no contact)')
      .max(200, 'must be at most 200 characters')
      .nullable()
      .describe('How visitors reach a person (phone, email, hours) in words: a line of the answer when the bot cannot answer, and of the answer to a visitor who asks for a person; null: none')
      .meta({ example: 'お電話 03-1234-5678（平日9–18時）' }),
    contact_route: contactRouteSchema
      .nullable()
      .describe(
        'The button that hands the conversation to a person (a URL, a mail address, a LINE/Teams/Slack link), with business hours: offered under the answer when the bot cannot answer ' +
          'or the visitor asks for a person. Replaced as a whole on PATCH; null: no button (the `contact` text still shows)',
      ),
  })
  .meta({ id: 'WidgetSettings' });

/** PATCH: any subset; null resets a text to the built-in one. */
export const widgetSettingsPatchSchema = widgetSettingsSchema.partial().strict().meta({ id: 'WidgetSettingsPatch' });

export const widgetSettingsOf = (settings: TenantSettings): WidgetSettings => ({ ...defaultWidgetSettings, ...settings.widget });
