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
  news: {
    source: 'x',
    id: '1861000000000000005',
    url: 'https://x.com/drkimura/status/1861000000000000005',
    author: { handle: 'drkimura', name: 'Dr. Ken Kimura' },
    text: 'Label update for Zentiva: the 200 mg tablet is now approved. Check your order sets. #cardiotwitter',
    product: 'Zentiva',
  },
  unsure: {
    source: 'x',
    id: '1861000000000000006',
    url: 'https://x.com/drnovak/status/1861000000000000006',
    author: { handle: 'drnovak', name: 'Dr. Eva Novak' },
    text: 'Started a few pts on Zentiva. Time will tell.',
    product: 'Zentiva',
  },
} as const;

/** How the classifier should read each sample (the demo shows every class as labelled). */
export const SAMPLE_LABELS: Record<keyof typeof SAMPLES, { stance: 'positive' | 'neutral' | 'negative'; adverseEvent: boolean; medicalQuestion: boolean; unsure?: boolean }> = {
  positive: { stance: 'positive', adverseEvent: false, medicalQuestion: false },
  neutral: { stance: 'neutral', adverseEvent: false, medicalQuestion: true },
  negative: { stance: 'negative', adverseEvent: false, medicalQuestion: false },
  // A harm told as a case, without a verdict on the product: neutral stance, and PV must hear of it.
  adverse: { stance: 'neutral', adverseEvent: true, medicalQuestion: false },
  news: { stance: 'neutral', adverseEvent: false, medicalQuestion: false },
  unsure: { stance: 'neutral', adverseEvent: false, medicalQuestion: false, unsure: true },
};

export type SampleName = keyof typeof SAMPLES;
