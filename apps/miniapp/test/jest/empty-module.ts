// Stylesheets are irrelevant in jsdom; class names are asserted directly.
export default {}
