import { CATALOGUE_ELEMENTS, PILOT_DOMAINS, type PilotDomain } from '#shared/domain/form';
import type { Rule, RuleFinding } from './types.ts';

/**
 * CAT-1. 000 §二(二)2, 001 (国办发〔2019〕54号 (四)), 004 三: the standard catalogue
 * (政务公开事项标准目录) of the 26 pilot domains, whose entries carry "公开事项的名称、内容、
 * 依据、时限、主体、方式、渠道、公开对象等要素".
 *
 * Two checks, both warnings (placing a document in the catalogue is the approver's and the
 * site's business, not a reason to stop a draft):
 * - the form's catalogue entry, when given, names every element;
 * - a draft without a pilot domain is asked to choose one when it evidently belongs to one:
 *   its title names a domain, or the form gives a catalogue entry. A missing domain alone is
 *   not reported: many documents belong to none of the 26 (the five notices themselves are
 *   about 政务公开 as a whole, and so is most of what a 政府办公室 issues), and a warning on
 *   every such draft would teach approvers to ignore CAT-1.
 */

/** Short names by which titles refer to the domains (a title rarely spells 国有土地上房屋征收 in full). */
const DOMAIN_WORDS: Partial<Record<PilotDomain, RegExp>> = {
  重大建设项目: /重大建设项目|重点建设项目|重点项目/,
  户籍管理: /户籍|户口/,
  养老服务: /养老/,
  公共法律服务: /法律服务|法律援助/,
  财政预决算: /预算|决算/,
  就业: /就业|创业/,
  社会保险: /社会保险|社保|医疗保险|养老保险/,
  城乡规划: /城乡规划|国土空间规划/,
  征地补偿: /征地|土地征收/,
  环境保护: /环境保护|生态环境|环保|污染/,
  国有土地上房屋征收: /房屋征收/,
  保障性住房: /保障性住房|公租房|廉租房|保障房/,
  农村危房改造: /危房改造/,
  城市综合执法: /综合执法|城管/,
  涉农补贴: /涉农补贴|农业补贴|惠农补贴/,
  公共文化服务: /公共文化/,
  医疗卫生: /医疗|卫生|健康/,
  食品药品监管: /食品|药品/,
  公共资源交易: /公共资源交易|招标投标|政府采购/,
  扶贫: /扶贫|脱贫/,
  税收管理: /税收|纳税|税务/,
};

/** The pilot domains a title names (for suggestions). */
export function domainsOfTitle(title: string): PilotDomain[] {
  return PILOT_DOMAINS.filter((d) => title.includes(d) || DOMAIN_WORDS[d]?.test(title));
}

export const CAT_1: Rule = {
  id: 'CAT-1',
  title: { zh: '目录要素齐全并归入试点领域', en: 'Catalogue elements are complete and the pilot domain is named' },
  source: '000 §二(二)2（目录至少应包括公开事项的名称、内容、依据、时限、主体、方式、渠道、公开对象等要素）；001 附件(四)；004 三',
  severity: 'warn',
  needs: 'form',
  check: ({ form }) => {
    const out: RuleFinding[] = [];
    if (form.catalogue) {
      const missing = CATALOGUE_ELEMENTS.filter(([key]) => !(form.catalogue![key] ?? '').trim());
      if (missing.length)
        out.push({
          zh: `公开事项目录要素不全，缺少：${missing.map(([, zh]) => zh).join('、')}。目录至少应包括公开事项的名称、内容、依据、时限、主体、方式、渠道、公开对象等要素，请补充。`,
          en: `The catalogue entry lacks ${missing.map(([key]) => key).join(', ')}; an entry names the item, content, basis, time limit, responsible body, method, channel and audience.`,
          evidence: missing.map(([key]) => ({ in: `form.catalogue.${key}` })),
        });
    }
    const suggested = form.domain ? [] : domainsOfTitle(form.title);
    if (!form.domain && (suggested.length || form.catalogue)) {
      out.push({
        zh: `未填写所属试点领域。${suggested.length ? `标题涉及“${suggested.join('”“')}”，` : ''}请在申报表中选择文件所属的试点领域（26个试点领域之一），以便编入该领域的政务公开事项标准目录；确不属于任何试点领域的，可忽略本提示。`,
        en: "No pilot domain given; if the document belongs to one of the 26 pilot domains, choose it so that it is placed in that domain's standard catalogue.",
        evidence: [{ in: 'form.domain' }, ...(suggested.length ? [{ in: 'form.title', text: form.title }] : [])],
      });
    }
    return out;
  },
};
