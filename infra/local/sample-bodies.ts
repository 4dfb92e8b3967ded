import type { CreateBodyRequest } from '#shared/domain/body';
import { siteConfig } from '#shared/site/config';

/**
 * The bodies `npm start` adds below the top body (config/site.json): a county platform's
 * government office, two departments and two townships, each with its drafting units, its
 * 索引号 code and its own 指南 and 制度 (with the `{{…}}` settings filled in from its contact).
 */
const guide = (scope: string) => `# 政府信息公开指南

为便于公民、法人和其他组织获取{{name}}的政府信息，根据《中华人民共和国政府信息公开条例》第十二条，编制本指南。

## 一、主动公开

${scope}主动公开的政府信息，在本平台“{{name}}”栏目发布。

## 二、依申请公开

申请人可向{{office}}提出申请。地址：{{address}}；电话：{{phone}}。
`;

const system = `# 政府信息公开制度

{{name}}按照《中华人民共和国政府信息公开条例》建立发文公开属性源头认定、公开审查、依申请公开办理和年度报告制度，由{{office}}组织实施。
`;

const body = (b: Omit<CreateBodyRequest, 'guide' | 'system'> & { scope: string }): CreateBodyRequest => {
  const { scope, ...rest } = b;
  return { ...rest, guide: guide(scope), system };
};

export const SAMPLE_BODIES: readonly CreateBodyRequest[] = [
  body({
    id: 'zfb',
    name: '运城市盐湖区人民政府办公室',
    code: '11140802MB0000001A',
    kind: 'office',
    parent: siteConfig.bodyId,
    units: ['运城市盐湖区人民政府办公室'],
    contact: { office: '区政府办公室政务公开科', address: '盐湖区政府大楼 2 楼', phone: '0359-0000001' },
    scope: '区政府办公室',
  }),
  body({
    id: 'fgw',
    name: '运城市盐湖区发展和改革局',
    code: '11140802MB0000002B',
    kind: 'department',
    parent: siteConfig.bodyId,
    units: ['运城市盐湖区发展和改革局'],
    contact: { office: '区发展和改革局办公室', address: '盐湖区河东街 10 号', phone: '0359-0000002', officeHours: '工作日 9:00–17:00' },
    scope: '区发展和改革局',
  }),
  body({
    id: 'mzj',
    name: '运城市盐湖区民政局',
    code: '11140802MB0000003C',
    kind: 'department',
    parent: siteConfig.bodyId,
    units: ['运城市盐湖区民政局'],
    contact: { office: '区民政局办公室', address: '盐湖区人民路 20 号', phone: '0359-0000003' },
    scope: '区民政局',
  }),
  body({
    id: 'beicheng',
    name: '运城市盐湖区北城街道办事处',
    code: '11140802MB0000004D',
    kind: 'township',
    parent: siteConfig.bodyId,
    units: ['运城市盐湖区北城街道办事处', '北城街道便民服务中心'],
    contact: { office: '北城街道党政综合办公室', address: '盐湖区北城街道办事处 1 楼', phone: '0359-0000004' },
    scope: '北城街道',
  }),
  body({
    id: 'jiezhou',
    name: '运城市盐湖区解州镇人民政府',
    code: '11140802MB0000005E',
    kind: 'township',
    parent: siteConfig.bodyId,
    units: ['运城市盐湖区解州镇人民政府'],
    contact: { office: '解州镇党政综合办公室', address: '盐湖区解州镇政府院内', phone: '0359-0000005', postcode: '044000' },
    scope: '解州镇',
  }),
];
