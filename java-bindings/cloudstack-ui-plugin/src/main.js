import { createApp } from 'vue'
import {
  Alert, Breadcrumb, Button, Checkbox, ConfigProvider, Descriptions, Drawer, Empty, Form, Input,
  InputNumber, Layout, Modal, Progress, Result, Row, Col, Select, Space, Spin, Switch, Table, Tabs, Tag,
  Tooltip, Typography
} from 'ant-design-vue'
import 'ant-design-vue/dist/reset.css'
import App from './App.vue'

const app = createApp(App)
for (const c of [Alert, Breadcrumb, Button, Checkbox, ConfigProvider, Descriptions, Drawer, Empty, Form,
  Input, InputNumber, Layout, Modal, Progress, Result, Row, Col, Select, Space, Spin, Switch, Table, Tabs, Tag,
  Tooltip, Typography]) {
  app.use(c)
}
app.mount('#app')
