// The filing system's configuration: the operator's own template (YAML or JSON text), checked when
// it is saved so that a bad one is refused with its line and field, and the size of /files pages.
import { z } from 'zod';
import { OmniError } from '../../plugins/api.js';
import { MAX_TEMPLATE_BYTES, readTemplate } from './template.js';

export const filingConfig = z.object({
  template: z
    .string()
    .max(MAX_TEMPLATE_BYTES)
    .optional()
    .superRefine((text, check) => {
      if (text === undefined) return;
      try {
        readTemplate(text);
      } catch (error) {
        if (!(error instanceof OmniError)) throw error;
        check.addIssue({ code: 'custom', message: error.message });
      }
    })
    .describe(
      'A filing tree in YAML or JSON ({ units: [{ name, slug?, kind?, retention?: { days, action }, members?, ' +
        'children? }] }), merged into the tree by path when the plugin is switched on; without it, an empty tree ' +
        'starts from the shipped template',
    ),
  pageSize: z.number().int().min(3).max(20).default(8).describe('Folders and items per page of /files'),
});

export type FilingConfig = z.output<typeof filingConfig>;
