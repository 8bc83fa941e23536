import type { PropsWithChildren } from 'react'

import './app.css'

// The app shell renders nothing itself: children is the current page.
function App({ children }: PropsWithChildren) {
  return children
}

export default App
