import { buildAlertCard } from '../../blocks/alert-card';
import { classificationSection, mentionIdOfStanceBlock, STANCE_ACTION } from '../../blocks/classification';
import type { AlertView } from '../../src/domain/alert-view';
import { classifyPost, type Classification } from '../../src/domain/classification';
import { recommendedActions } from '../../src/domain/playbook';
import { cardText, findControl } from '../support/harness';

const OPEN: AlertView['status'] = {
  state: 'open', assignee: null, doneBy: null, doneAt: null, doneReason: null, emailDraftedBy: null, emailDraftedAt: null, firstActionAt: null, reopenedBy: null, reopenedAt: null,
};

function viewOf(text: string, c: Classification, over: Partial<AlertView> = {}): AlertView {
  return {
    mentionId: 42, version: 1, source: 'x', externalId: '1', url: null, author: { handle: 'drjane', name: 'Dr. Jane' }, text, textFromReporter: false,
    postedAt: '2026-11-26T10:00:00.000Z', product: 'Zentiva', via: 'webhook', reportedBy: null,
    sentiment: { label: c.stance, score: c.score, cues: c.stanceCues.map((q) => q.words) },
    adverseEvent: { possible: c.adverseEvent.possible, cues: { harm: [], product: [], patient: [], link: [] }, reportBy: null },
    classification: c, pv: null, medical: null, hcp: null, actions: recommendedActions(c.stance, false, 'Dr. Jane'), advice: null, followUp: null, sphere: [], history: null, status: OPEN,
    ...over,
  };
}

test('an unsure stance says so and offers one-click Positive / Neutral / Negative on its own block', () => {
  const text = 'Started a few pts on Zentiva. Time will tell.';
  const c = classifyPost(text, { product: 'Zentiva' });
  expect(c.unsure).toBe(true);
  const card = buildAlertCard(viewOf(text, c));
  expect(cardText(card.blocks)).toContain('*Stance unsure*');
  for (const [s, label] of [['positive', 'Positive'], ['neutral', 'Neutral'], ['negative', 'Negative']] as const) {
    const b = findControl(card.blocks, label)!;
    expect(b).toMatchObject({ type: 'button', action_id: STANCE_ACTION[s], value: s });
  }
  const block = card.blocks.find((b) => b.type === 'actions' && b.block_id?.startsWith('alert_stance:'))!;
  expect(mentionIdOfStanceBlock(block.block_id)).toBe(42);
});

test('a confident stance shows its reasons in the post\'s words and no stance buttons', () => {
  const text = 'Oh great, another prior auth denial for Zentiva because the pt has not "failed" enalapril. Love practicing medicine by fax.';
  const c = classifyPost(text, { product: 'Zentiva' });
  expect(c).toMatchObject({ stance: 'negative', unsure: false });
  const s = classificationSection(viewOf(text, c));
  expect(s.blocks).toEqual([]);
  expect(s.lines[0]).toMatch(/^Why \*Negative\*: /);
  expect(s.lines[0]).toContain('prior auth denial');
});

test('the language is named, harm and medical-question cues are in a rep\'s words, user text is escaped', () => {
  const text = 'Mon patient sous Zentiva 100 mg x2 : chute de tension à 85/50, vertiges <b>. On redescend à 50 ? Quelle dose chez les plus de 85 ans ?';
  const c = classifyPost(text, { product: 'Zentiva' });
  expect(c.language).toBe('fr');
  expect(c.adverseEvent.possible).toBe(true);
  const s = classificationSection(viewOf(text, c));
  const all = s.lines.join('\n');
  expect(all).toContain('written in French');
  expect(all).toMatch(/:warning: Harm: /);
  expect(all).toContain('→ Medical Information');
  expect(all).not.toContain('<b>');
});

test('a stance a rep set is shown as theirs, and the buttons are gone', () => {
  const text = 'Started a few pts on Zentiva. Time will tell.';
  const c = { ...classifyPost(text, { product: 'Zentiva' }), unsure: false, stance: 'positive' as const };
  const s = classificationSection(viewOf(text, c, { sentiment: { label: 'positive', score: 0, cues: ['set by a rep (was neutral)'] } }));
  expect(s.blocks).toEqual([]);
  expect(s.lines[0]).toBe('Why *Positive*: set by a rep (was neutral)');
});
