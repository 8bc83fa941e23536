import type { PropsWithChildren } from 'react'

import { listenForPrivacyRequests } from './state/privacy'
import './app.css'

listenForPrivacyRequests()

// The app shell renders nothing itself: children is the current page.
function App({ children }: PropsWithChildren) {
  return children
}

export default App
