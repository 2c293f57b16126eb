import { withoutExceptions } from '../match/phrases.js';
import { agentUtterances, at, quote } from './helpers.js';
import { phraseList } from './phrase-options.js';
import { defineRule } from './types.js';

export default defineRule({
  id: 'banned-phrases',
  description:
    'The agent never uses a banned (negative) phrase; each occurrence in agent speech is one finding. An occurrence inside an exception phrase does not count.',
  source: 'seeds/000 语言礼仪·沟通用语: 使用"请"、"谢谢"…等礼貌用语, 避免使用"不行"、"不知道"等消极词汇。',
  needs: 'agent speech',
  defaultDeduction: 5,
  defaultMaxDeduction: 20,
  options: {
    phrases: phraseList(['不知道', '不行'], 'phrases the agent must not say (literal, or /regex/)'),
    exceptions: phraseList(
      ['不知道您', '不知道是否', '不知道能不能帮', '不行的话'],
      'phrases in which a banned phrase is acceptable (不知道您现在方便吗 is polite, not a refusal)',
    ),
  },
  check(call, { phrases, exceptions }) {
    const agent = agentUtterances(call);
    if (agent.length === 0) return { outcome: 'n/a', findings: [] };
    const findings = agent.flatMap((u) =>
      withoutExceptions(phrases.find(u.norm.text), exceptions.findAll(u.norm.text)).map((occ) => ({
        ...at(u),
        message: `banned phrase "${occ.phrase}"`,
        evidence: quote(u, occ),
      })),
    );
    return { outcome: findings.length > 0 ? 'fail' : 'pass', findings };
  },
});
