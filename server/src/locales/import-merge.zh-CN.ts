/** Why the import service rejects a row the reader passed (the reader's own reasons live beside the reader). */
export const importMergeMessages = {
  name_required: '缺少姓名，无法识别该居民',
  ethnicity_required: '缺少民族或民族无法识别',
  id_registered_elsewhere: '该身份证号已在您管辖范围以外登记，请联系所在社区',
  dwelling_address_required: '缺少房屋地址（小区、楼栋、单元、房号），无法登记该房屋',
} as const;
