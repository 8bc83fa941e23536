import { FormMessage } from '../../components/form-message'

/** A field's problem in red beside it; nothing when there is none. */
export function FieldError({ message }: { message?: string | null }) {
  return <FormMessage error={message ? { message } : null} />
}
