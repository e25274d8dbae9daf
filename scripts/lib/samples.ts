/** Made-up HCP posts for the demo and the sample sender (not from any data set). */
export const SAMPLES = {
  positive: {
    source: 'x',
    id: '1861000000000000001',
    url: 'https://x.com/drjanedoe/status/1861000000000000001',
    author: { handle: 'drjanedoe', name: 'Dr. Jane Doe' },
    text: 'Six months of Zentiva in our HFrEF clinic: well tolerated, patients feel better, fewer admissions. Impressive real-world results.',
    product: 'Zentiva',
  },
  neutral: {
    source: 'x',
    id: '1861000000000000002',
    url: 'https://x.com/drsamlee/status/1861000000000000002',
    author: { handle: 'drsamlee', name: 'Dr. Sam Lee' },
    text: 'Anyone using Zentiva in patients with CKD stage 4? Curious what dosing you landed on. #cardiotwitter',
    product: 'Zentiva',
  },
  negative: {
    source: 'x',
    id: '1861000000000000003',
    url: 'https://x.com/dralvarez/status/1861000000000000003',
    author: { handle: 'dralvarez', name: 'Dr. Maria Alvarez' },
    text: 'Prior auth denied AGAIN for Zentiva. Third patient this month. Honestly exhausting, not worth the paperwork.',
    product: 'Zentiva',
  },
  adverse: {
    source: 'x',
    id: '1861000000000000004',
    url: 'https://x.com/drokafor/status/1861000000000000004',
    author: { handle: 'drokafor', name: 'Dr. Ada Okafor' },
    text: 'My patient developed a widespread rash ten days after starting Zentiva. Stopped it, resolving now. Anyone else seen this?',
    product: 'Zentiva',
  },
} as const;

export type SampleName = keyof typeof SAMPLES;
