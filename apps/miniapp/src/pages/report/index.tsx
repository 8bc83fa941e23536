import { Button, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'

import { Hotlines } from '../../components/hotlines'
import { PageShell } from '../../components/page-shell'
import { ROUTES } from '../../routes'
import { ReceiptPanel } from './receipt-panel'
import { TipForm } from './tip-form'
import { useDraft } from './use-draft'
import { useImageUploads } from './use-image-uploads'
import { useSubmission } from './use-submission'
import './index.css'

/** 有奖举报: the tip form (a draft that survives closing the app and losing the network), then the receipt, once. */
export default function Report() {
  const handle = useDraft()
  const uploads = useImageUploads(handle)
  const submission = useSubmission(handle, uploads)
  return (
    <PageShell>
      <Text className='title'>有奖举报</Text>
      {submission.receipt ? (
        <ReceiptPanel receipt={submission.receipt} onClose={submission.closeReceipt} />
      ) : (
        <>
          <Text className='hint report__intro'>举报诈骗电话、银行卡、网址和账号，可匿名。经核查属实的，可凭回执码领取奖励。正在被骗或已转账，请立即拨打下方专线。</Text>
          <TipForm handle={handle} uploads={uploads} submission={submission} />
          <View className='card'>
            <Button className='btn btn--block report__follow-up' onClick={() => void Taro.navigateTo({ url: ROUTES.tipFollowUp }).catch(() => undefined)}>
              凭回执码查看举报进度
            </Button>
          </View>
        </>
      )}
      <Hotlines />
    </PageShell>
  )
}
