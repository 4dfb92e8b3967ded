/**
 * PUB-4, issue 15 item 3: the NAME and HOME ADDRESS in a private person's record.
 *
 * A record is a roster row, a sentence or a clause (see `recordAround` in personal-data.ts)
 * that carries an identifier only a private person has (resident ID, bank card, vehicle
 * plate). Inside such a record — and only there — the text is cut into cells (by blanks,
 * tabs, |, ，、；：) and:
 *
 * - a NAME is a cell (after a leading 序号 and a private-person label such as 姓名, 申请人,
 *   当事人, 户主, 车主, 持卡人, 救助对象) that is a common surname (single or compound) followed
 *   by one or two Han characters, with no 某 (already de-identified), not a word of a roster
 *   (高中, 汉族, 户主, 低保…), not ending in a place suffix (王村, 李庄, 张家湾), and not
 *   introduced by an official's label (签发人, 联系人, 负责人, 经办人, 审核人, 主任, 局长…).
 *   It is published as surname + 某 (张三 → 张某, 欧阳小明 → 欧阳某).
 * - an ADDRESS is a cell introduced by 住址/地址/住所/居住地/户籍地 (or the label glued
 *   to it), or an unlabelled cell holding both a division (省 市 区 县 旗 镇 乡 街道) and a
 *   detail below the street (村 社区 路 街 巷 号 组 小区 栋 幢 单元 室 楼). It is published up
 *   to its last 街道/镇/乡 (or, when none, its last 区/县/旗/市) followed by ***.
 *
 * Officials named in their role are never in such a record: a 签发人 line, an office's 联系人
 * with an office telephone, a 主送 or a signature carries no resident ID, card or plate. The
 * rule is deliberately narrow: a name outside a record (a sentence with only a mobile, a
 * 联系人 line) is left to the drafter, whom PUB-4 already asks to remove private data.
 */

const SINGLE_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '西门',
  '南宫',
  '独孤',
  '呼延',
  '百里',
  '闻人',
  '万俟',
  '澹台',
  '太史',
  '申屠',
  '钟离',
  '第五',
];

/** Words a roster cell may hold that begin with a surname character but are no name. */
const NOT_NAMES = new Set([
  '高中',
  '初中',
  '小学',
  '中专',
  '大专',
  '本科',
  '汉族',
  '回族',
  '满族',
  '苗族',
  '户主',
  '已婚',
  '未婚',
  '离异',
  '丧偶',
  '党员',
  '群众',
  '低保',
  '特困',
  '五保',
  '残疾',
  '农业',
  '非农',
  '城镇',
  '农村',
  '合计',
  '总计',
  '小计',
  '金额',
  '方式',
  '时间',
  '地址',
  '住址',
  '电话',
  '姓名',
  '性别',
  '年龄',
  '备注',
  '原因',
  '事由',
  '明细',
  '单位',
  '项目',
  '成员',
  '家庭',
  '关系',
  '子女',
  '配偶',
  '父亲',
  '母亲',
  '儿子',
  '女儿',
  '长子',
  '次子',
  '长女',
  '次女',
  '本人',
  '申请',
  '审核',
  '公示',
  '救助',
  '补贴',
  '发放',
  '标准',
  '车辆',
  '车主',
  '号牌',
  '事故',
  '因病',
  '因灾',
  '因学',
  '意外',
  '万元',
  '元整',
  '全额',
  '全年',
  '常住',
  '户籍',
  '文化',
  '程度',
  '学历',
  '职业',
  '务农',
  '务工',
  '无业',
  '个体',
  '退休',
  '在读',
  '在校',
  '学生',
  '农民',
  '司机',
  '工人',
  '干部',
  '教师',
  '医生',
  '经理',
  '法人',
  '代表',
  '卡号',
  '银行',
  '开户',
  '信用',
  '农商',
  '邮政',
  '工商',
  '建设',
  '交通',
  '中国',
  '华夏',
  '平安',
  '兴业',
  '民生',
  '光大',
  '招商',
  '浦发',
  '晋城',
  '晋中',
  '吕梁',
  '长治',
  '阳泉',
  '朔州',
  '忻州',
  '临汾',
  '运城',
  '大同',
  '太原',
  '高平',
  '汾阳',
  '孝义',
  '介休',
  '霍州',
  '侯马',
  '永济',
  '河津',
  '古县',
]);
/**
 * A cell that labels the identifier glued after it (车牌晋M…, 手机139…, 卡号6222…): the
 * normaliser drops the blank, so a label and a name both touch the identifier.
 */
const LABEL_WORD = /^(?:车牌|牌照|车号|手机|电话|座机|宅电|住宅电话|邮箱|账户|账号|户号|卡号|证号|号码|身份|联系|方式)|[号码证卡牌箱]$/;
/** A cell ending in one of these is a place, not a person (王村, 李庄, 张家湾, 石楼县). */
const PLACE_END = /[村庄屯沟湾堡营寨店集桥镇乡区县市省州街路巷楼院场坡岭峪河山岗坪洼局处科委办厅部站所队组社会园湖港口关]$/;
/** A label before a cell that names a private person: the cell after it may be a name. */
const PERSON_LABEL = /^(?:姓名|申请人|当事人|户主|车主|持卡人|户名|救助对象|补贴对象|对象|受助人|被救助人|家属|监护人|本人)[:：]?/;
/** A label that names an official in their role: the name after it stays. */
const OFFICIAL_LABEL = /(?:签发人|联系人|负责人|经办人|审核人|审批人|承办人|主任|局长|书记|科长|股长|所长|站长|镇长|乡长|县长|市长|区长|主席|部长|处长|厅长)[:：]?$/;
const LEADING_ORDINAL = /^(?:[（(]?[0-9０-９一二三四五六七八九十百]+[)）、.．]?|[①-⑳])/;

const ADDRESS_LABEL = /^(?:家庭住址|现住址|户籍地址|家庭地址|居住地址|住址|地址|住所地?|居住地|户籍地|现住|住)[:：]?/;
const DIVISION = /(?:省|自治区|市|区|县|旗|街道|镇|乡)/;
const BELOW_STREET = /(?:村|社区|路|街|巷|弄|组|号|小区|栋|幢|单元|室|楼|苑|院)/;
/** The part of an address kept on publication: up to the street / township, else the county. */
const STREET_END = /(?:街道办事处|街道|镇|乡)/g;
const COUNTY_END = /(?:自治县|自治旗|区|县|旗|市)/g;

export interface RecordSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly kind: 'name' | 'address';
}

const HAN = /^[\u4e00-\u9fff]+$/;
const CELL = /[^\s|，,、；;：:。（）()]+/g;

/** The surname at the start of a candidate name, or undefined when it is not a name. */
export function surnameOf(s: string): string | undefined {
  if (!HAN.test(s) || s.includes('某') || NOT_NAMES.has(s) || PLACE_END.test(s) || LABEL_WORD.test(s)) return undefined;
  const compound = COMPOUND_SURNAMES.find((c) => s.startsWith(c));
  if (compound) return s.length >= 3 && s.length <= 4 ? compound : undefined;
  if (s.length < 2 || s.length > 3 || !SINGLE_SURNAMES.includes(s[0]!)) return undefined;
  return s[0];
}

/** 张三 → 张某; 欧阳小明 → 欧阳某. */
export const maskName = (s: string): string => `${surnameOf(s) ?? s[0]}某`;

/** 运城市盐湖区北城街道红旗村3组12号 → 运城市盐湖区北城街道***. */
export function maskAddress(s: string): string {
  const cut = (re: RegExp) => {
    let end = -1;
    for (const m of s.matchAll(re)) if (m.index + m[0].length < s.length) end = m.index + m[0].length;
    return end;
  };
  const street = cut(STREET_END);
  const end = street > 0 ? street : cut(COUNTY_END);
  return `${end > 0 ? s.slice(0, end) : ''}***`;
}

/**
 * Names and home addresses in the record text[a, b) (offsets in text). `cuts` are the
 * detectors' spans (ID, phone…): they separate cells too, because the text normaliser drops
 * the blanks between Han characters and digits (a roster row reads 1王小明140802…运城市…).
 */
export function recordNamesAndAddresses(text: string, a: number, b: number, cuts: readonly { start: number; end: number }[] = []): RecordSpan[] {
  const out: RecordSpan[] = [];
  let record = text.slice(a, b);
  for (const c of cuts) {
    if (c.end <= a || c.start >= b) continue;
    const s = Math.max(c.start, a) - a;
    const e = Math.min(c.end, b) - a;
    record = record.slice(0, s) + ' '.repeat(e - s) + record.slice(e);
  }
  let prevCell = '';
  for (const m of record.matchAll(CELL)) {
    let cell = m[0];
    let at = a + m.index;
    const before = record.slice(0, m.index);
    const ord = LEADING_ORDINAL.exec(cell);
    if (ord && ord[0].length < cell.length && HAN.test(cell.slice(ord[0].length, ord[0].length + 1))) {
      cell = cell.slice(ord[0].length);
      at += ord[0].length;
    }
    const addrLabel = ADDRESS_LABEL.exec(cell);
    const labelledAddress = addrLabel !== null || (ADDRESS_LABEL.test(prevCell) && ADDRESS_LABEL.exec(prevCell)![0] === prevCell);
    const addrBody = addrLabel ? cell.slice(addrLabel[0].length) : cell;
    const addrAt = addrLabel ? at + addrLabel[0].length : at;
    if (
      addrBody.length >= 4 &&
      /^[\u4e00-\u9fff]/.test(addrBody) &&
      (labelledAddress
        ? DIVISION.test(addrBody) || BELOW_STREET.test(addrBody)
        : DIVISION.test(addrBody) && BELOW_STREET.test(addrBody.replace(/^.*?(?:省|自治区|市|区|县|旗|街道|镇|乡)/, '')))
    ) {
      if (/^[\u4e00-\u9fff0-9０-９A-Za-z\-－—#]+$/.test(addrBody) && !/[元万人户]$/.test(addrBody)) {
        out.push({ start: addrAt, end: addrAt + addrBody.length, text: addrBody, kind: 'address' });
        prevCell = m[0];
        continue;
      }
    }
    const label = PERSON_LABEL.exec(cell);
    const name = label ? cell.slice(label[0].length) : cell;
    const nameAt = label ? at + label[0].length : at;
    if (name && surnameOf(name) && !OFFICIAL_LABEL.test(before.trimEnd()) && !OFFICIAL_LABEL.test(prevCell)) {
      out.push({ start: nameAt, end: nameAt + name.length, text: name, kind: 'name' });
    }
    prevCell = m[0];
  }
  return out;
}
