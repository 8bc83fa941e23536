import { Text } from '@tarojs/components'

interface FormMessageProps {
  /** An error to show in red; null shows nothing. */
  error?: { message: string } | null
  /** A confirmation to show in green when there is no error. */
  success?: string | null
}

/** The line under a form: the server's Chinese message on failure, a short confirmation on success. */
export function FormMessage({ error, success }: FormMessageProps) {
  if (error) return <Text className='message message--error'>{error.message}</Text>
  if (success) return <Text className='message message--ok'>{success}</Text>
  return null
}
